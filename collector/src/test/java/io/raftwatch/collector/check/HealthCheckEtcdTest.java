package io.raftwatch.collector.check;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.raftwatch.collector.cli.RaftwatchCommand;
import io.raftwatch.collector.config.ClusterConfig;
import io.raftwatch.collector.config.KubernetesConfig;
import io.raftwatch.collector.config.MemberConfig;
import io.raftwatch.collector.config.TlsConfig;
import io.raftwatch.collector.fixture.EtcdCluster;
import io.raftwatch.collector.fixture.ManualClock;
import io.raftwatch.collector.fixture.TestCertificates;
import io.raftwatch.collector.health.CheckStatus;
import io.raftwatch.collector.health.ClusterCheck;
import io.raftwatch.collector.health.FoundAlert;
import io.raftwatch.collector.health.MemberStatus;
import io.raftwatch.collector.rules.AlertState;
import io.raftwatch.collector.rules.RuleFileLoader;
import io.raftwatch.collector.rules.ShippedRules;
import io.raftwatch.collector.tsdb.Labels;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The one-shot check against a real 3-member etcd 3.4 cluster over mutual TLS, with the shipped
 * rules rendered for the collector's member labels. The two scrapes are stamped by a manual clock
 * that the pause advances, so no test waits for the interval. Skips when etcd is not installed
 * (fails when CI=true).
 */
class HealthCheckEtcdTest {
  @TempDir static Path dir;
  private static EtcdCluster etcd;
  private final ManualClock clock = new ManualClock(Instant.now());
  private final HealthCheck check = new HealthCheck(clock, clock::advance, Duration.ofSeconds(5));

  @BeforeAll
  static void startEtcd() throws Exception {
    etcd = EtcdCluster.start(dir.resolve("etcd"), 3);
  }

  @AfterAll
  static void stopEtcd() {
    if (etcd != null) {
      etcd.close();
    }
  }

  @Test
  void healthyClusterIsOkWithOneLeaderAndNoAlerts() throws Exception {
    ClusterCheck result = run(cluster(goodTls()));

    assertThat(result.members()).extracting(MemberStatus::member)
        .containsExactly("member-1", "member-2", "member-3");
    assertThat(result.members()).allSatisfy(m -> {
      assertThat(m.up()).as(m.error().orElse("")).isTrue();
      assertThat(m.hasLeader()).contains(true);
    });
    assertThat(result.members()).filteredOn(m -> m.leader().orElseThrow()).hasSize(1);
    assertThat(result.alerts()).isEmpty();
    assertThat(result.problems()).isEmpty();
    assertThat(result.status()).isEqualTo(CheckStatus.OK);
  }

  @Test
  void stoppedFollowerIsDownWithTheRulesAlertsPendingSoTheStatusStaysOk() throws Exception {
    ClusterConfig config = cluster(goodTls());
    // A follower: stopping the leader would also make the others leaderless for an election.
    int follower = 1 + indexOf(run(config).members(), m -> !m.leader().orElseThrow());
    String name = "member-" + follower;
    etcd.stop(follower);
    ClusterCheck result;
    try {
      result = run(config);
    } finally {
      etcd.restart(follower);
    }

    MemberStatus down = result.members().get(follower - 1);
    assertThat(down.up()).isFalse();
    assertThat(down.error().orElseThrow()).endsWith(": connection refused");
    assertThat(down.leader()).isEmpty();
    assertThat(result.members()).filteredOn(MemberStatus::up).hasSize(2)
        .allSatisfy(m -> assertThat(m.hasLeader()).contains(true));
    // What alert-rules/etcd.rules.yaml says: members down (critical, for 10m) for the cluster as a
    // whole, thanks to the member labels instance,member; scrape failing (warning, for 2m) for
    // the member. Both pending, so nothing fires and the check is OK.
    assertThat(result.alerts()).extracting(FoundAlert::name, FoundAlert::state, FoundAlert::severity,
            FoundAlert::summary, a -> a.labels().get("member"))
        .containsExactlyInAnyOrder(
            tuple("etcdMembersDown", AlertState.PENDING, "critical",
                "etcd cluster members are down.", ""),
            tuple("etcdMemberScrapeFailing", AlertState.PENDING,
                "warning", "etcd member cannot be scraped.", name));
    assertThat(result.alerts()).filteredOn(a -> a.name().equals("etcdMembersDown"))
        .extracting(FoundAlert::labels)
        .containsExactly(Labels.of("alertname", "etcdMembersDown", "cluster", "check",
            "job", "etcd", "severity", "critical"));
    assertThat(result.status()).isEqualTo(CheckStatus.OK);
  }

  @Test
  void commandPrintsTheSummaryAndExitsOk() {
    TestCertificates certs = etcd.certificates();
    StringWriter out = new StringWriter();

    int exit = execute(out, "check", "--endpoints=" + endpoints(),
        "--cacert=" + certs.caFile(), "--cert=" + certs.clientFiles().cert(),
        "--key=" + certs.clientFiles().key(), "--interval=200ms");

    assertThat(exit).as(out.toString()).isZero();
    List<String> lines = out.toString().lines().toList();
    // With --endpoints the cluster is "etcd" and each member is named by its host:port.
    assertThat(lines.get(0)).as(out.toString())
        .matches("OK - etcd: 3/3 members up, leader 127\\.0\\.0\\.1:\\d+, 0 firing, \\d+ pending");
    assertThat(lines.subList(1, 4)).containsExactly("", "cluster etcd: OK",
        "  MEMBER           UP  LEADER  HAS_LEADER  ERROR");
    assertThat(lines.subList(4, 7)).filteredOn(l -> l.matches("  127\\.0\\.0\\.1:\\d+  1   yes     yes"))
        .hasSize(1);
    assertThat(lines.subList(4, 7)).filteredOn(l -> l.matches("  127\\.0\\.0\\.1:\\d+  1   no      yes"))
        .hasSize(2);
    // 200 ms of data is all predict_linear has: a member that opened one file descriptor between
    // the scrapes is predicted past its limit in four hours. Only that alert may be pending.
    assertThat(lines.subList(7, lines.size())).as(out.toString()).allMatch(l ->
        l.equals("  pending (their 'for' has not passed; they do not change the status):")
            || l.matches("    warning  etcdFileDescriptorExhaustionPredicted member=127\\.0\\.0\\.1:\\d+  "
                + "etcd will run out of file descriptors within four hours\\."));
  }

  @Test
  void wrongCaReachesNoMemberSoTheCheckIsUnknown() {
    TestCertificates certs = etcd.certificates();
    StringWriter out = new StringWriter();

    int exit = execute(out, "check", "--endpoints=" + endpoints(),
        "--cacert=" + certs.otherCaFile(), "--cert=" + certs.clientFiles().cert(),
        "--key=" + certs.clientFiles().key(), "--interval=200ms");

    assertThat(exit).as(out.toString()).isEqualTo(3);
    String text = out.toString();
    assertThat(text).startsWith("UNKNOWN - etcd: 0/3 members up, no leader seen, 0 firing, 5 pending\n");
    assertThat(text.lines().filter(l -> l.endsWith(
        "/metrics: TLS handshake failed: certificate signed by unknown authority"))).hasSize(3);
    // Every member down: the shipped rules' cluster-wide alerts and one scrape alert per member,
    // all pending (their 'for' is minutes long); the status is UNKNOWN because nothing answered.
    assertThat(text).contains("    critical  etcdMembersDown  etcd cluster members are down.\n",
        "    critical  etcdInsufficientMembers  etcd cluster has insufficient number of members.\n");
    for (URI u : etcd.clientUrls()) {
      assertThat(text).contains("    warning  etcdMemberScrapeFailing member=" + u.getAuthority()
          + "  etcd member cannot be scraped.\n");
    }
    assertThat(text).doesNotContain("firing:").doesNotContain("Exception");
  }

  private ClusterCheck run(ClusterConfig config) throws Exception {
    return check.run(config, ShippedRules.load(config, new RuleFileLoader(Duration.ofSeconds(15), Map.of(), "")));
  }

  private static int execute(StringWriter out, String... args) {
    CommandLine cl = RaftwatchCommand.commandLine();
    cl.setOut(new PrintWriter(out, true));
    cl.setErr(new PrintWriter(out, true));
    return cl.execute(args);
  }

  private static String endpoints() {
    return etcd.clientUrls().stream().map(URI::toString).collect(Collectors.joining(","));
  }

  private static <T> int indexOf(List<T> list, Predicate<T> p) {
    for (int i = 0; i < list.size(); i++) {
      if (p.test(list.get(i))) {
        return i;
      }
    }
    throw new AssertionError("none in " + list);
  }

  private static TlsConfig goodTls() {
    TestCertificates certs = etcd.certificates();
    return new TlsConfig(Optional.of(certs.caFile()), Optional.of(certs.clientFiles().cert()),
        Optional.of(certs.clientFiles().key()), Optional.empty(), false);
  }

  private static ClusterConfig cluster(TlsConfig tls) {
    List<MemberConfig> members = new ArrayList<>();
    List<URI> urls = etcd.metricsUrls();
    for (int i = 0; i < urls.size(); i++) {
      members.add(new MemberConfig("member-" + (i + 1), urls.get(i), Optional.empty()));
    }
    return new ClusterConfig("check", "etcd", members, Optional.of(tls), Map.of(),
        Duration.ofSeconds(15), Duration.ofSeconds(5), ClusterConfig.DEFAULT_BODY_SIZE_LIMIT,
        List.of(), new KubernetesConfig("monitoring", Map.of(), "check",
            KubernetesConfig.MetricsPort.METRICS, "check-client-tls", Optional.empty(), Map.of(),
            Map.of(), false));
  }
}
