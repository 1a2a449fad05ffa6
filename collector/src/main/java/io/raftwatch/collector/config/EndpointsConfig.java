package io.raftwatch.collector.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Builds a one-cluster {@link RaftwatchConfig} from etcdctl's flags ({@code --endpoints}, {@code
 * --cacert}, {@code --cert}, {@code --key}) for a quick look without a file. Called by the CLI
 * on the main thread. Stateless.
 */
public final class EndpointsConfig {
  /** The cluster name used when none is given on the command line. */
  public static final String DEFAULT_CLUSTER = "etcd";

  private EndpointsConfig() {}

  /**
   * Builds the description. Endpoints are written as etcdctl takes them: comma-separated, with or
   * without a scheme ({@code 127.0.0.1:2379} means https when a CA or client certificate is given,
   * http otherwise). Each member is named after its host:port.
   *
   * @throws ConfigException naming the flag and the endpoint that is wrong
   */
  public static RaftwatchConfig fromFlags(
      String cluster,
      List<String> endpoints,
      Optional<Path> cacert,
      Optional<Path> cert,
      Optional<Path> key,
      boolean insecureSkipVerify)
      throws ConfigException {
    List<ConfigProblem> problems = new ArrayList<>();
    boolean tls = cacert.isPresent() || cert.isPresent() || insecureSkipVerify;
    List<MemberConfig> members = new ArrayList<>();
    Set<URI> seen = new HashSet<>();
    for (String endpoint : endpoints) {
      String text = endpoint.trim();
      if (text.isEmpty()) {
        continue;
      }
      Optional<URI> url = parse(text.contains("://") ? text : (tls ? "https://" : "http://") + text);
      if (url.isEmpty()) {
        problems.add(new ConfigProblem("--endpoints", 0, "",
            "'" + text + "' is not an http(s) URL or host:port; expected e.g. https://10.0.0.1:2379"));
      } else if (seen.add(url.get())) {
        members.add(new MemberConfig(url.get().getRawAuthority(), url.get(), Optional.empty()));
      }
    }
    if (members.isEmpty() && problems.isEmpty()) {
      problems.add(new ConfigProblem("--endpoints", 0, "", "no endpoint given"));
    }
    if (cert.isPresent() != key.isPresent()) {
      problems.add(new ConfigProblem(cert.isPresent() ? "--cert" : "--key", 0, "",
          cert.isPresent() ? "--cert needs --key" : "--key needs --cert"));
    }
    for (var flag : List.of(Map.entry("--cacert", cacert), Map.entry("--cert", cert),
        Map.entry("--key", key))) {
      flag.getValue().filter(p -> !Files.exists(p)).ifPresent(p ->
          problems.add(new ConfigProblem(flag.getKey(), 0, "", "file " + p + " does not exist")));
    }
    if (!problems.isEmpty()) {
      throw new ConfigException(problems);
    }
    Optional<TlsConfig> tlsConfig = tls
        ? Optional.of(new TlsConfig(abs(cacert), abs(cert), abs(key), Optional.empty(),
            insecureSkipVerify))
        : Optional.empty();
    ClusterConfig config = new ClusterConfig(cluster, cluster, members, tlsConfig, Map.of(),
        ClusterConfig.DEFAULT_SCRAPE_INTERVAL, ClusterConfig.DEFAULT_SCRAPE_TIMEOUT,
        ClusterConfig.DEFAULT_BODY_SIZE_LIMIT, List.of(),
        new KubernetesConfig("monitoring", Map.of(), cluster, KubernetesConfig.MetricsPort.CLIENT,
            cluster + "-client-tls", Optional.empty(), Map.of(), Map.of("grafana_dashboard", "1"),
            false));
    return new RaftwatchConfig("command line", List.of(config));
  }

  private static Optional<Path> abs(Optional<Path> p) {
    return p.map(x -> x.toAbsolutePath().normalize());
  }

  private static Optional<URI> parse(String text) {
    try {
      URI uri = new URI(text);
      boolean http = "http".equals(uri.getScheme()) || "https".equals(uri.getScheme());
      return http && uri.getHost() != null ? Optional.of(uri) : Optional.empty();
    } catch (URISyntaxException e) {
      return Optional.empty();
    }
  }
}
