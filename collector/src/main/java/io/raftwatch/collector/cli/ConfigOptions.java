package io.raftwatch.collector.cli;

import io.raftwatch.collector.config.ConfigException;
import io.raftwatch.collector.config.ConfigLoader;
import io.raftwatch.collector.config.ConfigProblem;
import io.raftwatch.collector.config.EndpointsConfig;
import io.raftwatch.collector.config.RaftwatchConfig;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Option;

/**
 * Where a command's cluster description comes from: {@code --config raftwatch.yaml}, or etcdctl's
 * own flags for a quick look. A picocli mixin for every command that talks to clusters; filled in
 * on the main thread.
 */
public final class ConfigOptions {
  @ArgGroup(exclusive = true, multiplicity = "1")
  Source source;

  static final class Source {
    @Option(names = {"-c", "--config"}, paramLabel = "FILE",
        description = "The cluster description (see docs/configuration.md).")
    Path config;

    @ArgGroup(exclusive = false)
    EtcdctlFlags etcdctl;
  }

  static final class EtcdctlFlags {
    @Option(names = "--endpoints", required = true, split = ",", paramLabel = "URL",
        description = "Members' client URLs, comma-separated, as etcdctl takes them "
            + "(https://127.0.0.1:2379; host:port means https when a CA or certificate is given).")
    List<String> endpoints;

    @Option(names = "--cacert", paramLabel = "FILE",
        description = "CA bundle that signs the members' certificates (etcdctl --cacert).")
    Path cacert;

    @Option(names = "--cert", paramLabel = "FILE", description = "Client certificate (etcdctl --cert).")
    Path cert;

    @Option(names = "--key", paramLabel = "FILE",
        description = "Client key, RSA or EC, PKCS#1 or PKCS#8 (etcdctl --key).")
    Path key;

    @Option(names = "--insecure-skip-tls-verify",
        description = "Do not verify the members' certificates. Dangerous; for tests only.")
    boolean insecureSkipVerify;
  }

  @Option(names = "--cluster", paramLabel = "NAME",
      description = "Only this cluster of the config; with --endpoints, the cluster's name "
          + "(default: " + EndpointsConfig.DEFAULT_CLUSTER + ").")
  String cluster;

  /**
   * Loads and validates the description; with {@code --cluster}, keeps only that cluster.
   *
   * @throws ConfigException with every problem, naming file, line and field (or flag)
   */
  public RaftwatchConfig load() throws ConfigException {
    if (source.config != null) {
      RaftwatchConfig all = new ConfigLoader().load(source.config);
      if (cluster == null) {
        return all;
      }
      return all.cluster(cluster)
          .map(c -> new RaftwatchConfig(all.source(), List.of(c)))
          .orElseThrow(() -> new ConfigException(List.of(new ConfigProblem("--cluster", 0, "",
              "no cluster '" + cluster + "' in " + all.source() + "; it describes "
                  + String.join(", ", all.clusters().stream().map(c -> c.name()).toList())))));
    }
    EtcdctlFlags f = source.etcdctl;
    return EndpointsConfig.fromFlags(
        cluster == null ? EndpointsConfig.DEFAULT_CLUSTER : cluster, f.endpoints, Optional.ofNullable(f.cacert),
        Optional.ofNullable(f.cert), Optional.ofNullable(f.key), f.insecureSkipVerify);
  }
}
