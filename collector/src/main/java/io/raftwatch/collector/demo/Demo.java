package io.raftwatch.collector.demo;

import io.raftwatch.collector.config.ClusterConfig;
import io.raftwatch.collector.config.ConfigException;
import io.raftwatch.collector.config.ConfigProblem;
import io.raftwatch.collector.config.PrometheusDuration;
import io.raftwatch.collector.config.RaftwatchConfig;
import io.raftwatch.collector.history.HistoryException;
import io.raftwatch.collector.jobs.Collector;
import io.raftwatch.collector.jobs.CollectorException;
import io.raftwatch.collector.jobs.CollectorOptions;
import io.raftwatch.collector.manifests.ManifestSet;
import io.raftwatch.collector.manifests.ManifestTemplates;
import io.raftwatch.collector.rules.RuleFileException;
import io.raftwatch.collector.scrape.TlsMaterialException;
import io.raftwatch.collector.web.CollectorWeb;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/**
 * A running demo: certificates, three raftkv members over mutual TLS, the collector watching them
 * with the shipped rules, the Kubernetes manifests for the same cluster, and optionally chaos.
 * {@link #start} does each step in order and reports it through {@code progress}; if a step fails,
 * what was started is stopped again and the failure is a {@link DemoException} saying why. {@link
 * #close} stops the chaos, the collector, and then the members, and leaves the directory in place.
 *
 * <p>The composition root of {@code raftwatch demo}; created and closed on the main thread (or a
 * shutdown hook). The chaos thread is its own.
 */
public final class Demo implements AutoCloseable {
  /** How soon the page hears that a health check ran. */
  private static final Duration PAGE_TICK = Duration.ofSeconds(1);
  private final DemoOptions options;
  private final DemoDirectory dir;
  private final DemoPki pki;
  private final RaftwatchConfig config;
  private final DemoCluster cluster;
  private final List<Path> manifests;
  private final String leader;
  private final Consumer<String> progress;
  private Collector collector;
  private CollectorWeb page;
  private Thread chaos;
  private Thread loadThread;
  private WriteLoad load;

  private Demo(DemoOptions options, DemoDirectory dir, DemoPki pki, RaftwatchConfig config, DemoCluster cluster,
      List<Path> manifests, String leader, Consumer<String> progress) {
    this.options = options;
    this.dir = dir;
    this.pki = pki;
    this.config = config;
    this.cluster = cluster;
    this.manifests = List.copyOf(manifests);
    this.leader = leader;
    this.progress = progress;
  }

  /**
   * Starts the demo; returns once the collector is serving the page.
   *
   * @param progress receives one line per step, and the chaos events later
   * @throws DemoException when the directory is refused, a member does not start, no leader is
   *     elected in time, or the collector cannot start; whatever was started is stopped
   */
  public static Demo start(DemoOptions options, Clock clock, Consumer<String> progress)
      throws DemoException, IOException, InterruptedException {
    checkFree(options.listen());
    DemoDirectory dir = DemoDirectory.open(options.dir(), DemoOptions.MEMBERS, DemoDirectory.PortAllocator.LOOPBACK);
    progress.accept(dir.resumed()
        ? "resuming the demo in " + dir.root() + ": its members' data, logs and ports are reused ("
            + dir.members().stream().map(m -> m.name() + " " + m.clientUrl()).collect(Collectors.joining(", ")) + ")"
        : "new demo in " + dir.root());

    DemoPki pki = DemoPki.loadOrIssue(dir.pki(), DemoOptions.MEMBERS, clock.instant());
    progress.accept((pki.reused() ? "reused the certificates in " : "made a CA, a certificate per member and a client "
        + "certificate in ") + pki.dir() + " (keys 0600)");

    RaftwatchConfig config;
    try {
      config = DemoConfigFile.write(dir, pki, options.scrapeInterval());
    } catch (ConfigException e) {
      // The demo wrote the file itself: a problem in it is a bug, but say exactly what it is.
      throw new DemoException("the config the demo wrote is invalid: " + e.problems().stream()
          .map(ConfigProblem::toString).collect(Collectors.joining("; ")));
    }
    ClusterConfig clusterConfig = config.clusters().get(0);
    progress.accept("wrote " + dir.config() + " (rules: " + dir.rules() + ")");

    LeaderProbe probe;
    try {
      probe = new LeaderProbe(clusterConfig, clock);
    } catch (TlsMaterialException e) {
      throw new DemoException("the demo's certificates in " + pki.dir() + " cannot be used: " + e.getMessage()
          + "; remove that directory to have new ones made");
    }
    RaftkvLauncher launcher = new RaftkvLauncher(RaftkvLauncher.currentJava(), options.raftkvJar(),
        options.raftkvFlags());
    DemoCluster cluster = new DemoCluster(dir, pki, launcher, probe, clock, progress);
    Demo demo = null;
    try {
      cluster.start();
      Instant started = clock.instant();
      String leader = cluster.awaitLeader(options.startDeadline());
      progress.accept(leader + " is the leader, elected " + Chaos.seconds(Duration.between(started, clock.instant()))
          + " after the start");

      List<Path> written = new ArrayList<>();
      try {
        ManifestSet set = ManifestSet.render(config, ManifestTemplates.bundled());
        set.writeTo(dir.manifests());
        set.files().forEach(f -> written.add(dir.manifests().resolve(f.name())));
      } catch (ConfigException e) {
        throw new DemoException("cannot render the manifests: " + e.problems().stream()
            .map(ConfigProblem::toString).collect(Collectors.joining("; ")));
      }
      progress.accept("wrote " + written.size() + " Kubernetes manifests and the Grafana dashboard into "
          + dir.manifests());

      demo = new Demo(options, dir, pki, config, cluster, written, leader, progress);
      demo.startCollector();
      demo.startLoad();
      demo.startChaos(clock);
      return demo;
    } catch (DemoException | IOException | InterruptedException | RuntimeException e) {
      if (demo != null) {
        demo.close();
      } else {
        cluster.close();
      }
      throw e;
    }
  }

  /** Fails before anything is started when the page's address is taken (a demo already running?). */
  private static void checkFree(InetSocketAddress listen) throws DemoException {
    if (listen.getPort() == 0) {
      return;
    }
    try (ServerSocket s = new ServerSocket()) {
      s.bind(resolved(listen));
    } catch (IOException e) {
      throw new DemoException("cannot serve the page on " + listen.getHostString() + ":" + listen.getPort() + ": "
          + e.getMessage() + " (another demo or raftwatch run?); pass another --listen (port 0 picks a free one)");
    }
  }

  /** {@code --listen}'s host looked up; an unknown host is the user's mistake. */
  private static InetSocketAddress resolved(InetSocketAddress listen) throws DemoException {
    InetSocketAddress address = new InetSocketAddress(listen.getHostString(), listen.getPort());
    if (address.isUnresolved()) {
      throw new DemoException("--listen: unknown host " + listen.getHostString());
    }
    return address;
  }

  private void startCollector() throws DemoException {
    try {
      collector = Collector.create(config, CollectorOptions.defaults(dir.collectorData()));
    } catch (RuleFileException | TlsMaterialException | HistoryException | CollectorException e) {
      throw new DemoException("cannot start the collector: " + e.getMessage());
    }
    InetSocketAddress listen = resolved(options.listen());
    try {
      // The page first, as raftwatch run does, so that it shows the first health check.
      page = CollectorWeb.start(collector, listen, PAGE_TICK);
    } catch (IOException e) {
      throw new DemoException("cannot serve the page on " + listen.getHostString() + ":" + listen.getPort() + ": "
          + e.getMessage() + "; pass another --listen (port 0 picks a free one)");
    }
    try {
      collector.start();
    } catch (CollectorException e) {
      throw new DemoException("cannot start the collector: " + e.getMessage());
    }
    progress.accept("collector: scraping every " + PrometheusDuration.format(options.scrapeInterval()) + " with the rules in "
        + dir.rules() + ", history in " + dir.collectorData() + "; page on " + page.baseUri() + "/");
  }

  private void startLoad() throws IOException {
    if (options.loadPerSecond() <= 0) {
      return;
    }
    load = new WriteLoad(pki, dir.members().stream().map(MemberPorts::clientUrl).toList(), options.loadPerSecond());
    loadThread = new Thread(load, "demo-load");
    loadThread.setDaemon(true);
    loadThread.start();
    progress.accept("load: " + options.loadPerSecond() + " writes per second (etcd KV.Put over gRPC) to the "
        + "members in turn");
  }

  private void startChaos(Clock clock) {
    if (options.chaosEvery().isEmpty()) {
      return;
    }
    Chaos c = new Chaos(cluster, options.chaosEvery().get(), options.chaosDown(),
        d -> Thread.sleep(d.toMillis()), clock, progress);
    chaos = new Thread(c, "demo-chaos");
    chaos.setDaemon(true);
    chaos.start();
    progress.accept("chaos: every " + PrometheusDuration.format(options.chaosEvery().get()) + " the leader is "
        + "killed with SIGKILL and restarted " + PrometheusDuration.format(options.chaosDown()) + " later");
  }

  public DemoDirectory directory() {
    return dir;
  }

  public DemoPki pki() {
    return pki;
  }

  public RaftwatchConfig config() {
    return config;
  }

  public DemoCluster cluster() {
    return cluster;
  }

  /** The collector watching the cluster. */
  public Collector collector() {
    return collector;
  }

  public List<Path> manifests() {
    return manifests;
  }

  /** The write load, when {@code --load} asked for one. */
  public Optional<WriteLoad> load() {
    return Optional.ofNullable(load);
  }

  /** What the demo started and where everything is, for people; printed once it runs. */
  public String summary() {
    StringBuilder s = new StringBuilder();
    s.append("raftwatch demo: a 3-member raftkv cluster over mutual TLS, watched by the collector\n\n");
    s.append("  page       ").append(pageUrl()).append("/\n\n");
    for (MemberPorts m : dir.members()) {
      MemberProcess p = cluster.members().stream().filter(x -> x.name().equals(m.name())).findFirst().orElseThrow();
      s.append(String.format("  %-3s pid %-7s client %s  metrics %s%s\n", m.name(),
          p.pid().map(String::valueOf).orElse("-"), m.clientUrl(), m.metricsUrl(),
          m.name().equals(leader) ? "  (leader)" : ""));
      s.append(String.format("      data %s  log %s\n", dir.dataDir(m.name()), p.logFile()));
    }
    s.append('\n');
    s.append("  collector  scrapes every ").append(PrometheusDuration.format(options.scrapeInterval()))
        .append(", history in ").append(dir.collectorData()).append('\n');
    s.append("  config     ").append(dir.config()).append("  (rules ").append(dir.rules()).append(")\n");
    s.append("  manifests  ").append(dir.manifests()).append("  (kubectl apply -k ").append(dir.manifests())
        .append(")\n");
    s.append("  pki        ").append(pki.dir()).append("  (ca.crt, client.crt, client.key, m1.crt ...)\n");
    options.chaosEvery().ifPresent(every -> s.append("  chaos      the leader is killed ")
        .append(PrometheusDuration.format(every)).append(" after the cluster is whole and stays down ")
        .append(PrometheusDuration.format(options.chaosDown())).append('\n'));
    String endpoints = dir.members().stream().map(m -> m.clientUrl().toString()).collect(Collectors.joining(","));
    s.append("\nTry:\n");
    s.append("  ETCDCTL_API=3 etcdctl --endpoints=").append(endpoints).append(" --cacert=")
        .append(pki.caCert()).append(" --cert=").append(pki.client().cert()).append(" --key=")
        .append(pki.client().key()).append(" endpoint status -w table\n");
    s.append("  bin/raftwatch check --config ").append(dir.config()).append('\n');
    s.append("\nCtrl-C stops everything and leaves ").append(dir.root())
        .append(" for inspection; running the demo on it again resumes this cluster.\n");
    return s.toString();
  }

  /**
   * Stops chaos and the load, then the collector, then the members (SIGTERM, SIGKILL after a grace
   * period).
   */
  @Override
  public void close() throws InterruptedException {
    for (Thread t : new Thread[] {chaos, loadThread}) {
      if (t != null) {
        t.interrupt();
        t.join();
      }
    }
    if (load != null) {
      progress.accept("load: " + load.succeeded() + " writes acknowledged, " + load.failed() + " failed");
    }
    if (page != null) {
      page.close();
    }
    if (collector != null) {
      collector.close();
      progress.accept("stopped the collector");
    }
    cluster.close();
  }

  /** The page's URL. */
  public URI pageUrl() {
    return page.baseUri();
  }
}
