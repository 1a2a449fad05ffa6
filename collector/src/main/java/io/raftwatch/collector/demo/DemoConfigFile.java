package io.raftwatch.collector.demo;

import io.raftwatch.collector.config.ConfigException;
import io.raftwatch.collector.config.ConfigLoader;
import io.raftwatch.collector.config.PrometheusDuration;
import io.raftwatch.collector.config.RaftwatchConfig;
import io.raftwatch.collector.rules.ShippedRules;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Writes the {@code raftwatch.yaml} that describes the demo cluster, and beside it the shipped
 * alert rules rendered for the collector's labels ({@code instance} and {@code member} identify a
 * member, the selector is the cluster's job), then loads the config back through the same {@link
 * ConfigLoader} every other command uses, so the demo runs from exactly the file it shows. Paths
 * in the file are relative to the demo directory, which can therefore be moved. Main thread.
 */
public final class DemoConfigFile {
  /** The demo cluster's name: the {@code cluster} and {@code job} labels of its series. */
  public static final String CLUSTER = "demo";

  private DemoConfigFile() {}

  /** Writes both files into {@code dir} and returns the loaded config. */
  public static RaftwatchConfig write(DemoDirectory dir, DemoPki pki, Duration scrapeInterval)
      throws IOException, ConfigException {
    Files.writeString(dir.rules(), ShippedRules.render(CLUSTER));
    Files.writeString(dir.config(), text(dir, pki, scrapeInterval));
    return new ConfigLoader().load(dir.config());
  }

  static String text(DemoDirectory dir, DemoPki pki, Duration scrapeInterval) {
    StringBuilder y = new StringBuilder();
    y.append("# Written by `raftwatch demo` for the raftkv cluster it runs; docs/configuration.md\n")
        .append("# explains every field. Use it with any command, e.g.\n")
        .append("#   bin/raftwatch check --config ").append(dir.config()).append('\n')
        .append("clusters:\n")
        .append("  - name: ").append(CLUSTER).append('\n')
        .append("    scrapeInterval: ").append(PrometheusDuration.format(scrapeInterval)).append('\n')
        .append("    tls:\n")
        .append("      caFile: ").append(relative(dir, pki.caCert())).append('\n')
        .append("      certFile: ").append(relative(dir, pki.client().cert())).append('\n')
        .append("      keyFile: ").append(relative(dir, pki.client().key())).append('\n')
        .append("    members:\n");
    for (MemberPorts m : dir.members()) {
      y.append("      - name: ").append(m.name()).append('\n')
          .append("        url: ").append(m.clientUrl()).append('\n')
          .append("        metricsUrl: ").append(m.metricsUrl()).append('\n');
    }
    y.append("    ruleFiles:\n")
        .append("      - ").append(relative(dir, dir.rules())).append('\n');
    return y.toString();
  }

  private static String relative(DemoDirectory dir, Path file) {
    return dir.root().toAbsolutePath().relativize(file.toAbsolutePath()).toString();
  }
}
