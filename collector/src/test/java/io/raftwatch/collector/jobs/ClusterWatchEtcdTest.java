package io.raftwatch.collector.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.prometheus.client.CollectorRegistry;
import io.raftwatch.collector.config.ClusterConfig;
import io.raftwatch.collector.config.KubernetesConfig;
import io.raftwatch.collector.config.MemberConfig;
import io.raftwatch.collector.config.TlsConfig;
import io.raftwatch.collector.fixture.EtcdCluster;
import io.raftwatch.collector.fixture.ManualClock;
import io.raftwatch.collector.fixture.TestCertificates;
import io.raftwatch.collector.health.ClusterState;
import io.raftwatch.collector.history.AlertEvent.Kind;
import io.raftwatch.collector.history.AlertEvent;
import io.raftwatch.collector.history.Database;
import io.raftwatch.collector.history.EventFilter;
import io.raftwatch.collector.history.HistoryStore;
import io.raftwatch.collector.promql.Engine;
import io.raftwatch.collector.rules.AlertState;
import io.raftwatch.collector.rules.RuleFileLoader;
import io.raftwatch.collector.scrape.ScrapeMetrics;
import io.raftwatch.collector.tsdb.SeriesStore;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link ClusterWatch} against a real 3-member etcd 3.4 over mutual TLS, with its transitions
 * going to an H2 history. Every run is stamped by a manual clock advanced between runs, so the
 * {@code for} clocks pass without waiting; only stopping and starting etcd takes real time.
 * Skips without etcd (fails when CI=true).
 */
class ClusterWatchEtcdTest {
  @TempDir static Path etcdDir;
  private static EtcdCluster etcd;
  @TempDir Path dir;
  private final ManualClock clock = new ManualClock(Instant.now().truncatedTo(ChronoUnit.MILLIS));
  private HistoryStore history;
  private int stopped;

  @BeforeAll
  static void startEtcd() throws Exception {
    etcd = EtcdCluster.start(etcdDir.resolve("etcd"), 3);
  }

  @AfterAll
  static void stopEtcd() {
    if (etcd != null) {
      etcd.close();
    }
  }

  @BeforeEach
  void openHistory() {
    history = HistoryStore.open(Database.h2(dir), clock);
  }

  @AfterEach
  void restartMemberAndCloseHistory() throws Exception {
    if (stopped != 0) {
      etcd.restart(stopped);
    }
    history.close();
  }

  @Test
  void stoppedMemberAlertGoesPendingFiringResolvedInTheHistory() throws Exception {
    ClusterConfig config = cluster(rules("30s"));
    try (ClusterWatch watch = watch(config, List.of())) {
      ClusterState healthy = watch.runOnce(clock.instant());
      assertThat(healthy.members()).allSatisfy(m -> assertThat(m.up()).as(m.lastError().orElse("")).isTrue());
      assertThat(healthy.leader()).isPresent();
      assertThat(healthy.alerts()).isEmpty();

      stopped = followerOf(healthy);
      etcd.stop(stopped);
      Instant downAt = step(watch);
      ClusterState down = watch.state();
      assertThat(down.members().get(stopped - 1).up()).isFalse();
      assertThat(down.alerts()).extracting(ClusterState.ActiveAlert::alertname,
              ClusterState.ActiveAlert::state, a -> a.labels().get("member"))
          .containsExactly(tuple("MemberDown", AlertState.PENDING, "member-" + stopped));
      step(watch);
      Instant firedAt = step(watch);
      assertThat(watch.state().alerts(AlertState.FIRING)).hasSize(1);

      etcd.restart(stopped);
      stopped = 0;
      Instant resolvedAt = step(watch);
      assertThat(watch.state().alerts()).isEmpty();

      List<AlertEvent> events = new ArrayList<>(history.events(EventFilter.all()));
      events.sort(Comparator.comparing(AlertEvent::at));
      assertThat(events).extracting(AlertEvent::kind, AlertEvent::at, AlertEvent::activeAt)
          .containsExactly(tuple(Kind.PENDING, downAt, downAt), tuple(Kind.FIRING, firedAt, downAt),
              tuple(Kind.RESOLVED, resolvedAt, downAt));
      assertThat(events).allSatisfy(e -> {
        assertThat(e.cluster()).isEqualTo("watch");
        assertThat(e.labels()).containsEntry("alertname", "MemberDown")
            .containsEntry("severity", "critical").containsEntry("cluster", "watch");
        assertThat(e.annotations()).containsEntry("summary", "member " + e.labels().get("member") + " is down");
      });
      assertThat(events.get(1).value()).isEqualTo(0.0);
    }
  }

  @Test
  void forClockContinuesAcrossARestartOfTheCollector() throws Exception {
    // for: 5m. Pending for 3m before the "restart" (a new ClusterWatch fed from the history): it
    // fires 2m after the restart, not 5m.
    ClusterConfig config = cluster(rules("5m"));
    Instant pendingSince;
    try (ClusterWatch before = watch(config, List.of())) {
      stopped = followerOf(before.runOnce(clock.instant()));
      etcd.stop(stopped);
      pendingSince = step(before);
      for (int i = 0; i < 3 * 4; i++) {
        step(before);
      }
      assertThat(before.state().alerts(AlertState.PENDING)).hasSize(1);
    }
    assertThat(Duration.between(pendingSince, clock.instant())).isEqualTo(Duration.ofMinutes(3));

    try (ClusterWatch after = watch(config, history.openAlerts("watch"))) {
      clock.advance(Duration.ofSeconds(15));
      after.runOnce(clock.instant());
      assertThat(after.state().alerts()).singleElement().satisfies(a -> {
        assertThat(a.state()).isEqualTo(AlertState.PENDING);
        assertThat(a.activeAt()).isEqualTo(pendingSince);
      });
      while (Duration.between(pendingSince, clock.instant()).compareTo(Duration.ofMinutes(5)) < 0) {
        assertThat(after.state().alerts(AlertState.FIRING)).isEmpty();
        step(after);
      }
      assertThat(after.state().alerts(AlertState.FIRING)).singleElement()
          .satisfies(a -> assertThat(a.firedAt()).contains(pendingSince.plus(Duration.ofMinutes(5))));
    }
    // One PENDING (the restart repeated nothing), then FIRING.
    assertThat(history.events(EventFilter.all())).extracting(AlertEvent::kind)
        .containsExactly(Kind.FIRING, Kind.PENDING);
  }

  @Test
  void twoCollectorsTakingTurnsReportEachTransitionOnce() throws Exception {
    // Clustered collectors share one cluster's fires; before a run, a collector whose previous
    // check ran elsewhere adopts the history's alert state (as Collector does). Here the turns
    // alternate strictly, the worst case.
    ClusterConfig config = cluster(rules("30s"));
    try (ClusterWatch a = watch(config, List.of()); ClusterWatch b = watch(config, List.of())) {
      stopped = followerOf(a.runOnce(clock.instant()));
      etcd.stop(stopped);
      Instant pendingAt = step(a);
      b.adopt(history.openAlerts("watch"));
      step(b);
      assertThat(b.state().alerts()).singleElement()
          .satisfies(x -> assertThat(x.activeAt()).isEqualTo(pendingAt));
      a.adopt(history.openAlerts("watch"));
      Instant firedAt = step(a);
      assertThat(a.state().alerts(AlertState.FIRING)).hasSize(1);
      b.adopt(history.openAlerts("watch"));
      step(b);
      assertThat(b.state().alerts(AlertState.FIRING)).singleElement()
          .satisfies(x -> assertThat(x.firedAt()).contains(firedAt));

      etcd.restart(stopped);
      stopped = 0;
      a.adopt(history.openAlerts("watch"));
      Instant resolvedAt = step(a);
      b.adopt(history.openAlerts("watch"));
      step(b);
      assertThat(b.state().alerts()).isEmpty();

      assertThat(history.events(EventFilter.all())).extracting(AlertEvent::kind, AlertEvent::at)
          .containsExactly(tuple(Kind.RESOLVED, resolvedAt), tuple(Kind.FIRING, firedAt),
              tuple(Kind.PENDING, pendingAt));
    }
  }

  /** Advances the clock by the 15 s interval and runs once; returns the run's time. */
  private Instant step(ClusterWatch watch) {
    clock.advance(Duration.ofSeconds(15));
    Instant t = clock.instant();
    watch.runOnce(t);
    return t;
  }

  private ClusterWatch watch(ClusterConfig config, List<AlertEvent> open) throws Exception {
    SeriesStore store = new SeriesStore(100_000);
    return new ClusterWatch(config, new RuleFileLoader(Duration.ofSeconds(15), Map.of(), "")
        .load(config.ruleFiles().get(0)), store, new Engine(store), clock,
        new ScrapeMetrics(new CollectorRegistry()), history, open);
  }

  private static int followerOf(ClusterState state) {
    for (int i = 0; i < state.members().size(); i++) {
      if (!state.members().get(i).isLeader().orElseThrow()) {
        return i + 1;
      }
    }
    throw new AssertionError("no follower in " + state);
  }

  private Path rules(String hold) throws Exception {
    return Files.writeString(dir.resolve("test.rules.yaml"), """
        groups:
          - name: members
            rules:
              - alert: MemberDown
                expr: up == 0
                for: %s
                labels:
                  severity: critical
                annotations:
                  summary: member {{ $labels.member }} is down
        """.formatted(hold));
  }

  private static ClusterConfig cluster(Path ruleFile) {
    TestCertificates certs = etcd.certificates();
    TlsConfig tls = new TlsConfig(Optional.of(certs.caFile()), Optional.of(certs.clientFiles().cert()),
        Optional.of(certs.clientFiles().key()), Optional.empty(), false);
    List<MemberConfig> members = new ArrayList<>();
    List<URI> urls = etcd.metricsUrls();
    for (int i = 0; i < urls.size(); i++) {
      members.add(new MemberConfig("member-" + (i + 1), urls.get(i), Optional.empty()));
    }
    return new ClusterConfig("watch", "etcd", members, Optional.of(tls), Map.of(),
        Duration.ofSeconds(15), Duration.ofSeconds(5), ClusterConfig.DEFAULT_BODY_SIZE_LIMIT,
        List.of(ruleFile), new KubernetesConfig("monitoring", Map.of(), "watch",
            KubernetesConfig.MetricsPort.METRICS, "watch-client-tls", Optional.empty(), Map.of(),
            Map.of(), false));
  }
}
