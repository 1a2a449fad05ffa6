package io.raftwatch.raftkv.config;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Turns {@link RawSettings} into a typed {@link EtcdConfig}: defaults as etcd 3.4 has them, then
 * every check etcd makes at startup that this server needs, each error naming its source.
 */
final class ConfigReader {
  private static final Pattern GO_DURATION =
      Pattern.compile("([0-9]+(\\.[0-9]+)?(ns|us|µs|ms|s|m|h))+");

  private final RawSettings raw;

  ConfigReader(RawSettings raw) {
    this.raw = raw;
  }

  EtcdConfig read() throws ConfigException {
    String name = text("name", "default");
    if (name.isEmpty()) {
      throw new ConfigException(origin("name") + " must not be empty");
    }
    Path dataDir = Path.of(text("data-dir", name + ".etcd"));
    List<URI> listenClient = urls("listen-client-urls", "http://localhost:2379");
    List<URI> advertiseClient = urls("advertise-client-urls", "http://localhost:2379");
    List<URI> listenPeer = urls("listen-peer-urls", "http://localhost:2380");
    List<URI> advertisePeer = urls("initial-advertise-peer-urls", "http://localhost:2380");
    InitialCluster cluster = initialCluster(name, advertisePeer);
    EtcdConfig.ClusterState state =
        switch (oneOf("initial-cluster-state", "new", Set.of("new", "existing"))) {
          case "existing" -> EtcdConfig.ClusterState.EXISTING;
          default -> EtcdConfig.ClusterState.NEW;
        };
    String token = text("initial-cluster-token", "etcd-cluster");
    TlsFiles clientTls = tls("", listenClient, advertiseClient);
    TlsFiles peerTls = tls("peer-", listenPeer, advertisePeer);
    List<URI> metricsUrls =
        raw.get("listen-metrics-urls") == null ? List.of() : urls("listen-metrics-urls", null);
    String metrics = oneOf("metrics", "basic", Set.of("basic", "extensive"));
    long heartbeat = number("heartbeat-interval", 100, 1, Integer.MAX_VALUE);
    long election = number("election-timeout", 1000, 1, 50000);
    if (election < 5 * heartbeat) {
      throw new ConfigException(
          origin("election-timeout")
              + "["
              + election
              + "ms] should be at least as 5 times as "
              + origin("heartbeat-interval")
              + "["
              + heartbeat
              + "ms]");
    }
    long snapshotCount = number("snapshot-count", 100_000, 1, Long.MAX_VALUE);
    long quota = number("quota-backend-bytes", 2L << 30, 0, Long.MAX_VALUE);
    String compactionMode =
        oneOf("auto-compaction-mode", "periodic", Set.of("periodic", "revision"));
    String retention = retention(compactionMode);
    long maxRequest = number("max-request-bytes", 1536 * 1024, 1, Integer.MAX_VALUE);
    String logLevel =
        oneOf("log-level", "info", Set.of("debug", "info", "warn", "error", "panic", "fatal"));
    String logger = oneOf("logger", "capnslog", Set.of("zap", "capnslog"));
    logOutputs();
    // On unless turned off, as in etcd 3.5 and later (3.4 defaulted to off): a follower whose
    // log is behind, or whose candidacy comes an instant after another's, then costs no extra
    // election round, which otherwise makes about one failover in ten exceed twice the election
    // timeout (bin/bench-kv --failover).
    boolean preVote = bool("pre-vote", true);
    return new EtcdConfig(
        name,
        dataDir,
        listenClient,
        advertiseClient,
        listenPeer,
        advertisePeer,
        cluster,
        state,
        token,
        clientTls,
        peerTls,
        metricsUrls,
        metrics,
        (int) heartbeat,
        (int) election,
        snapshotCount,
        quota,
        compactionMode,
        retention,
        maxRequest,
        logLevel,
        logger,
        preVote);
  }

  private InitialCluster initialCluster(String name, List<URI> advertisePeer)
      throws ConfigException {
    RawSettings.Value v = raw.get("initial-cluster");
    if (v == null) {
      // etcd's default: this member alone, at its advertised peer URLs.
      StringBuilder b = new StringBuilder();
      for (URI u : advertisePeer) {
        b.append(b.length() == 0 ? "" : ",").append(name).append('=').append(u);
      }
      return InitialCluster.parse(b.toString(), origin("initial-advertise-peer-urls"));
    }
    InitialCluster cluster = InitialCluster.parse(v.text(), v.origin());
    List<URI> mine = cluster.members().get(name);
    if (mine == null) {
      throw new ConfigException(
          v.origin() + " has no entry for " + origin("name") + " \"" + name + "\"");
    }
    if (!sorted(mine).equals(sorted(advertisePeer))) {
      throw new ConfigException(
          v.origin()
              + " has "
              + name
              + "="
              + sorted(mine)
              + " but "
              + origin("initial-advertise-peer-urls")
              + " is "
              + sorted(advertisePeer));
    }
    return cluster;
  }

  private TlsFiles tls(String prefix, List<URI> listen, List<URI> advertise)
      throws ConfigException {
    Path cert = file(prefix + "cert-file");
    Path key = file(prefix + "key-file");
    Path ca = file(prefix + "trusted-ca-file");
    boolean clientAuth = bool(prefix + "client-cert-auth", false);
    if ((cert == null) != (key == null)) {
      throw new ConfigException(
          origin(prefix + "cert-file")
              + " and "
              + origin(prefix + "key-file")
              + " must be given together");
    }
    if (clientAuth && ca == null) {
      throw new ConfigException(
          origin(prefix + "client-cert-auth") + " needs " + origin(prefix + "trusted-ca-file"));
    }
    if (cert == null) {
      List<URI> all = new ArrayList<>(listen);
      all.addAll(advertise);
      for (URI u : all) {
        if ("https".equals(u.getScheme())) {
          throw new ConfigException(
              "TLS key/cert ("
                  + origin(prefix + "cert-file")
                  + ", "
                  + origin(prefix + "key-file")
                  + ") must be provided for "
                  + u);
        }
      }
      return TlsFiles.none(prefix);
    }
    return new TlsFiles(prefix, cert, key, ca, clientAuth);
  }

  private String retention(String mode) throws ConfigException {
    String r = text("auto-compaction-retention", "0");
    boolean ok =
        r.matches("[0-9]+") || (mode.equals("periodic") && GO_DURATION.matcher(r).matches());
    if (!ok) {
      throw new ConfigException(
          origin("auto-compaction-retention")
              + ": \""
              + r
              + "\" is not "
              + (mode.equals("periodic")
                  ? "a duration (e.g. 1h, 30m) or a number of hours"
                  : "a revision count"));
    }
    return r;
  }

  private Path file(String key) throws ConfigException {
    RawSettings.Value v = raw.get(key);
    if (v == null || v.text().isEmpty()) {
      return null;
    }
    Path p = Path.of(v.text());
    if (!Files.isRegularFile(p)) {
      throw new ConfigException(v.origin() + ": \"" + v.text() + "\" does not exist");
    }
    if (!Files.isReadable(p)) {
      throw new ConfigException(v.origin() + ": \"" + v.text() + "\" is not readable");
    }
    return p;
  }

  private List<URI> urls(String key, String dflt) throws ConfigException {
    RawSettings.Value v = raw.get(key);
    return v == null ? Urls.parseList(dflt, "--" + key) : Urls.parseList(v.text(), v.origin());
  }

  private String text(String key, String dflt) {
    RawSettings.Value v = raw.get(key);
    return v == null ? dflt : v.text();
  }

  private String oneOf(String key, String dflt, Set<String> allowed) throws ConfigException {
    String t = text(key, dflt);
    if (!allowed.contains(t)) {
      throw new ConfigException(
          origin(key)
              + ": \""
              + t
              + "\" is not one of "
              + String.join(", ", allowed.stream().sorted().toList()));
    }
    return t;
  }

  /**
   * etcd's --log-outputs, checked only: raftkv always logs to stderr, which is where "default",
   * "stderr" and, under systemd, "systemd/journal" all end up; log files are not supported.
   */
  private void logOutputs() throws ConfigException {
    Set<String> allowed = Set.of("default", "stderr", "systemd/journal");
    for (String output : text("log-outputs", "default").split(",")) {
      if (!allowed.contains(output.trim())) {
        throw new ConfigException(origin("log-outputs") + ": \"" + output.trim()
            + "\" is not supported (raftkv logs to stderr; use one of "
            + String.join(", ", allowed.stream().sorted().toList()) + ")");
      }
    }
  }

  private long number(String key, long dflt, long min, long max) throws ConfigException {
    RawSettings.Value v = raw.get(key);
    if (v == null) {
      return dflt;
    }
    long n;
    try {
      n = Long.parseLong(v.text().trim());
    } catch (NumberFormatException e) {
      throw new ConfigException(v.origin() + ": \"" + v.text() + "\" is not an integer");
    }
    if (n < min || n > max) {
      throw new ConfigException(
          v.origin() + ": " + n + " is out of range [" + min + ", " + max + "]");
    }
    return n;
  }

  private boolean bool(String key, boolean dflt) throws ConfigException {
    RawSettings.Value v = raw.get(key);
    if (v == null) {
      return dflt;
    }
    // Go's strconv.ParseBool, which etcd's flags use.
    return switch (v.text().trim().toLowerCase(Locale.ROOT)) {
      case "1", "t", "true" -> true;
      case "0", "f", "false" -> false;
      default -> throw new ConfigException(v.origin() + ": \"" + v.text() + "\" is not a boolean");
    };
  }

  private String origin(String key) {
    RawSettings.Value v = raw.get(key);
    return v == null ? "--" + key : v.origin();
  }

  private static List<String> sorted(List<URI> urls) {
    return urls.stream().map(URI::toString).sorted().toList();
  }
}
