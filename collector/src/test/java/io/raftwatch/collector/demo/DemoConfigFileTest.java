package io.raftwatch.collector.demo;

import static org.assertj.core.api.Assertions.assertThat;

import io.raftwatch.collector.config.ClusterConfig;
import io.raftwatch.collector.config.MemberConfig;
import io.raftwatch.collector.config.RaftwatchConfig;
import io.raftwatch.collector.config.TlsConfig;
import io.raftwatch.collector.rules.RuleFileLoader;
import io.raftwatch.collector.rules.RuleGroup;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The raftwatch.yaml the demo writes, read back by the collector's own loader. */
class DemoConfigFileTest {
  @TempDir Path tmp;

  @Test
  void describesTheThreeMembersOverMutualTlsWithTheShippedRules() throws Exception {
    int[] port = {31000};
    DemoDirectory dir = DemoDirectory.open(tmp.resolve("demo"), List.of("m1", "m2", "m3"), () -> port[0]++);
    DemoPki pki = DemoPki.loadOrIssue(dir.pki(), List.of("m1", "m2", "m3"), Instant.parse("2026-11-24T20:00:00Z"));

    RaftwatchConfig config = DemoConfigFile.write(dir, pki, Duration.ofSeconds(5));

    ClusterConfig cluster = config.clusters().get(0);
    assertThat(cluster.name()).isEqualTo("demo");
    assertThat(cluster.job()).isEqualTo("demo");
    assertThat(cluster.scrapeInterval()).isEqualTo(Duration.ofSeconds(5));
    assertThat(cluster.members()).containsExactly(
        new MemberConfig("m1", URI.create("https://127.0.0.1:31000"), Optional.of(URI.create("https://127.0.0.1:31002"))),
        new MemberConfig("m2", URI.create("https://127.0.0.1:31003"), Optional.of(URI.create("https://127.0.0.1:31005"))),
        new MemberConfig("m3", URI.create("https://127.0.0.1:31006"), Optional.of(URI.create("https://127.0.0.1:31008"))));
    TlsConfig tls = cluster.tls().orElseThrow();
    assertThat(tls.caFile()).contains(pki.caCert().toAbsolutePath());
    assertThat(tls.certFile()).contains(pki.client().cert().toAbsolutePath());
    assertThat(tls.keyFile()).contains(pki.client().key().toAbsolutePath());
    assertThat(cluster.ruleFiles()).containsExactly(dir.rules().toAbsolutePath());
    assertThat(Files.readString(dir.config())).as("paths relative to the demo directory")
        .contains("caFile: pki/ca.crt").contains("- etcd.rules.yaml");

    List<RuleGroup> groups = new RuleFileLoader(Duration.ofSeconds(5), Map.of(), "").load(dir.rules());
    assertThat(Files.readString(dir.rules()))
        .as("the shipped rules, for the collector's member labels and the demo's job")
        .contains("up{job=\"demo\"}").contains("without (instance, member)").contains("alert: etcdNoLeader");
    assertThat(groups).isNotEmpty();
  }
}
