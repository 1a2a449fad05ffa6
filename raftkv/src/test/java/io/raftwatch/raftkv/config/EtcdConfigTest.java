package io.raftwatch.raftkv.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EtcdConfigTest {
  @TempDir Path dir;

  private static final String[] THREE_MEMBERS = {
    "--name",
    "infra1",
    "--initial-advertise-peer-urls=http://10.0.1.11:2380",
    "--listen-peer-urls",
    "http://10.0.1.11:2380",
    "--listen-client-urls",
    "http://10.0.1.11:2379,http://127.0.0.1:2379",
    "--advertise-client-urls",
    "http://10.0.1.11:2379",
    "--initial-cluster-token",
    "etcd-cluster-1",
    "--initial-cluster",
    "infra0=http://10.0.1.10:2380,infra1=http://10.0.1.11:2380,infra2=http://10.0.1.12:2380",
    "-initial-cluster-state",
    "new",
    "--pre-vote",
    "--heartbeat-interval=50",
    "--election-timeout",
    "500",
  };

  @Test
  void flagsAndEtcdDefaults() throws Exception {
    EtcdConfig c = EtcdConfig.parse(THREE_MEMBERS, Map.of());
    assertThat(c.name()).isEqualTo("infra1");
    assertThat(c.dataDir()).isEqualTo(Path.of("infra1.etcd"));
    assertThat(c.listenClientUrls())
        .containsExactly(URI.create("http://10.0.1.11:2379"), URI.create("http://127.0.0.1:2379"));
    assertThat(c.initialCluster().members()).containsOnlyKeys("infra0", "infra1", "infra2");
    assertThat(c.initialClusterState()).isEqualTo(EtcdConfig.ClusterState.NEW);
    assertThat(c.preVote()).isTrue();
    assertThat(c.heartbeatMillis()).isEqualTo(50);
    assertThat(c.electionMillis()).isEqualTo(500);
    assertThat(c.snapshotCount()).isEqualTo(100_000);
    assertThat(c.quotaBackendBytes()).isEqualTo(2L * 1024 * 1024 * 1024);
    assertThat(c.maxRequestBytes()).isEqualTo(1_572_864);
    assertThat(c.metrics()).isEqualTo("basic");
    assertThat(c.peerTls().enabled()).isFalse();
    Map<String, Long> ids = c.initialCluster().memberIds("etcd-cluster-1");
    assertThat(c.memberId()).isEqualTo(ids.get("infra1"));
    assertThat(c.initialPeers())
        .containsOnly(
            Map.entry(ids.get("infra0"), URI.create("http://10.0.1.10:2380")),
            Map.entry(ids.get("infra2"), URI.create("http://10.0.1.12:2380")));
  }

  @Test
  void noFlagsGivesEtcdsSingleMemberDefaults() throws Exception {
    EtcdConfig c = EtcdConfig.parse(new String[0], Map.of());
    assertThat(c.name()).isEqualTo("default");
    assertThat(c.dataDir()).isEqualTo(Path.of("default.etcd"));
    assertThat(c.initialCluster().members())
        .containsExactly(Map.entry("default", List.of(URI.create("http://localhost:2380"))));
    assertThat(c.initialClusterToken()).isEqualTo("etcd-cluster");
    assertThat(c.preVote()).as("pre-vote, on by default as in etcd 3.5+").isTrue();
    assertThat(EtcdConfig.parse(new String[] {"--pre-vote=false"}, Map.of()).preVote()).isFalse();
    assertThat(EtcdConfig.parse(new String[0], Map.of("ETCD_PRE_VOTE", "false")).preVote())
        .isFalse();
  }

  @Test
  void environmentVariablesFillWhatFlagsDoNotSet() throws Exception {
    EtcdConfig c =
        EtcdConfig.parse(
            new String[] {"--name", "infra0"},
            Map.of(
                "ETCD_INITIAL_CLUSTER", "infra0=http://127.0.0.1:2380",
                "ETCD_INITIAL_ADVERTISE_PEER_URLS", "http://127.0.0.1:2380",
                "ETCD_SNAPSHOT_COUNT", "5000",
                "ETCD_PEER_CLIENT_CERT_AUTH", "false",
                "HOME", "/root"));
    assertThat(c.snapshotCount()).isEqualTo(5000);
    assertThat(c.initialCluster().members()).containsOnlyKeys("infra0");
  }

  @Test
  void variableDuplicatingAFlagIsRefusedWithEtcdsWording() {
    assertThatThrownBy(
            () -> EtcdConfig.parse(new String[] {"--name", "a"}, Map.of("ETCD_NAME", "b")))
        .isInstanceOf(ConfigException.class)
        .hasMessage(
            "conflicting environment variable \"ETCD_NAME\" is shadowed by corresponding"
                + " command-line flag (either unset environment variable or disable flag)");
  }

  @Test
  void configFileWithTransportSecuritySections() throws Exception {
    Path cert = Files.writeString(dir.resolve("peer.crt"), "x");
    Path key = Files.writeString(dir.resolve("peer.key"), "x");
    Path ca = Files.writeString(dir.resolve("ca.crt"), "x");
    Path yaml =
        Files.writeString(
            dir.resolve("etcd.conf.yml"),
            String.join(
                "\n",
                "name: 'infra2'",
                "data-dir: /var/lib/etcd",
                "snapshot-count: 10000",
                "heartbeat-interval: 100",
                "election-timeout: 1000",
                "quota-backend-bytes: 0",
                "listen-peer-urls: https://127.0.0.1:2380",
                "listen-client-urls: http://127.0.0.1:2379",
                "initial-advertise-peer-urls: https://127.0.0.1:2380",
                "advertise-client-urls: http://127.0.0.1:2379",
                "initial-cluster: infra2=https://127.0.0.1:2380",
                "initial-cluster-token: 'etcd-cluster'",
                "initial-cluster-state: 'existing'",
                "wal-dir:",
                "max-wals: 5",
                "client-transport-security:",
                "  cert-file:",
                "  key-file:",
                "  client-cert-auth: false",
                "  auto-tls: false",
                "peer-transport-security:",
                "  cert-file: " + cert,
                "  key-file: " + key,
                "  client-cert-auth: true",
                "  trusted-ca-file: " + ca,
                "auto-compaction-mode: periodic",
                "auto-compaction-retention: \"1h\"",
                "enable-pprof: true",
                "logger: zap",
                ""));
    EtcdConfig c = EtcdConfig.parse(new String[] {"--config-file", yaml.toString()}, Map.of());
    assertThat(c.name()).isEqualTo("infra2");
    assertThat(c.dataDir()).isEqualTo(Path.of("/var/lib/etcd"));
    assertThat(c.initialClusterState()).isEqualTo(EtcdConfig.ClusterState.EXISTING);
    assertThat(c.peerTls()).isEqualTo(new TlsFiles("peer-", cert, key, ca, true));
    assertThat(c.clientTls().enabled()).isFalse();
    assertThat(c.quotaBackendBytes()).isZero();
    assertThat(c.autoCompactionRetention()).isEqualTo("1h");
    assertThat(c.logger()).isEqualTo("zap");
  }

  @Test
  void errorsNameTheFlagVariableOrKey() throws Exception {
    assertError(
        new String[] {"--name", "infra1", "--initial-cluster", "infra0=http://127.0.0.1:2380"},
        Map.of(),
        "--initial-cluster has no entry for --name \"infra1\"");
    assertError(
        new String[] {"--listen-client-urls", "htp://127.0.0.1:2379"},
        Map.of(),
        "--listen-client-urls: \"htp://127.0.0.1:2379\" is not an http(s) URL");
    assertError(
        new String[0],
        Map.of("ETCD_INITIAL_CLUSTER", "default"),
        "ETCD_INITIAL_CLUSTER: \"default\" is not name=url");
    Path missing = dir.resolve("nope.crt");
    assertError(
        new String[] {"--cert-file", missing.toString(), "--key-file", missing.toString()},
        Map.of(),
        "--cert-file: \"" + missing + "\" does not exist");
    assertError(
        new String[] {"--listen-peer-urls", "https://127.0.0.1:2380"},
        Map.of(),
        "TLS key/cert (--peer-cert-file, --peer-key-file) must be provided for"
            + " https://127.0.0.1:2380");
    assertError(
        new String[] {"--heartbeat-interval", "300"},
        Map.of(),
        "--election-timeout[1000ms] should be at least as 5 times as --heartbeat-interval[300ms]");
    assertError(
        new String[] {"--initial-cluster-state", "old"},
        Map.of(),
        "--initial-cluster-state: \"old\" is not one of existing, new");
    assertError(
        new String[] {"--snapshot-count", "lots"},
        Map.of(),
        "--snapshot-count: \"lots\" is not an integer");
    assertError(new String[] {"--nmae", "x"}, Map.of(), "flag provided but not defined: -nmae");
    assertError(
        new String[] {"--log-outputs", "stderr,/var/log/etcd.log"},
        Map.of(),
        "--log-outputs: \"/var/log/etcd.log\" is not supported (raftkv logs to stderr; use one of"
            + " default, stderr, systemd/journal)");
    assertError(
        new String[] {"--auto-compaction-mode", "revision", "--auto-compaction-retention", "1h"},
        Map.of(),
        "--auto-compaction-retention: \"1h\" is not a revision count");
    Path yaml = Files.writeString(dir.resolve("bad.yml"), "metrics: verbose\n");
    assertError(
        new String[] {"--config-file=" + yaml},
        Map.of(),
        yaml + ": metrics: \"verbose\" is not one of basic, extensive");
  }

  @Test
  void configFileProblemsNameTheFileAndLine() throws Exception {
    Path broken = Files.writeString(dir.resolve("broken.yml"), "name: a\nname: [b\n");
    assertThatThrownBy(
            () -> EtcdConfig.parse(new String[0], Map.of("ETCD_CONFIG_FILE", broken.toString())))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith(broken + ":2:9: not valid YAML")
        .hasMessageContaining("not valid YAML");
    Path missing = dir.resolve("missing.yml");
    assertError(
        new String[] {"--config-file", missing.toString()},
        Map.of(),
        "--config-file: cannot read " + missing + " (NoSuchFileException)");
  }

  private static void assertError(String[] args, Map<String, String> env, String message) {
    assertThatThrownBy(() -> EtcdConfig.parse(args, env))
        .isInstanceOf(ConfigException.class)
        .hasMessage(message);
  }
}
