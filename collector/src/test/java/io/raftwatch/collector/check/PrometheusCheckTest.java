package io.raftwatch.collector.check;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.raftwatch.collector.config.ClusterConfig;
import io.raftwatch.collector.config.ConfigLoader;
import io.raftwatch.collector.health.CheckStatus;
import io.raftwatch.collector.health.ClusterCheck;
import io.raftwatch.collector.health.FoundAlert;
import io.raftwatch.collector.health.MemberStatus;
import io.raftwatch.collector.promql.Engine;
import io.raftwatch.collector.report.source.EngineQuerySource;
import io.raftwatch.collector.rules.AlertState;
import io.raftwatch.collector.rules.RuleFileLoader;
import io.raftwatch.collector.tsdb.Labels;
import io.raftwatch.collector.tsdb.SampleBatch;
import io.raftwatch.collector.tsdb.SeriesStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * How {@link PrometheusCheck} judges an alert's {@code for}, on series written by hand and served
 * by the collector's engine in place of Prometheus: Prometheus's {@code ALERTS_FOR_STATE} wins
 * when it has the alert; otherwise a range query over the hold duration decides. Member "b" has
 * been down for the last ten seconds. The real-Prometheus version is in {@code
 * report.ReportPrometheusTest}.
 */
class PrometheusCheckTest {
  private static final Instant NOW = Instant.parse("2026-11-24T12:00:00Z");
  @TempDir Path dir;

  @Test
  void forIsJudgedFromPrometheussAlertStateElseFromARangeQuery() throws Exception {
    ClusterCheck result = check("""
        groups:
          - name: tiny
            interval: 1s
            rules:
              # Prometheus has this one, active for 2s only: pending, although the range says 10s.
              - alert: Known
                expr: up{job="etcd"} == 0
                for: 5s
                labels: {severity: critical}
              - alert: HeldLongEnough
                expr: up{job="etcd"} == 0
                for: 8s
                labels: {severity: warning}
                annotations: {summary: '{{ $labels.member }} down'}
              - alert: NotHeldYet
                expr: up{job="etcd"} == 0
                for: 30s
                labels: {severity: critical}
              - alert: NoFor
                expr: up{job="etcd"} == 0
        """);

    assertThat(result.problems()).isEmpty();
    assertThat(result.members()).extracting(MemberStatus::member, MemberStatus::up, MemberStatus::leader)
        .containsExactly(tuple("a", true, Optional.of(true)), tuple("b", false, Optional.empty()));
    assertThat(result.alerts()).extracting(FoundAlert::name, FoundAlert::state, FoundAlert::summary)
        .containsExactly(
            tuple("Known", AlertState.PENDING, ""),
            tuple("HeldLongEnough", AlertState.FIRING, "b down"),
            tuple("NotHeldYet", AlertState.PENDING, ""),
            tuple("NoFor", AlertState.FIRING, ""));
    assertThat(result.status()).isEqualTo(CheckStatus.WARNING);
  }

  @Test
  void aRulePrometheusCannotEvaluateMakesTheCheckUnknown() throws Exception {
    ClusterCheck result = check("""
        groups:
          - name: broken
            rules:
              - alert: ManyToMany
                expr: up + on() group_left up
        """);

    assertThat(result.problems()).singleElement().asString()
        .contains("group \"broken\", rule \"ManyToMany\"");
    assertThat(result.status()).isEqualTo(CheckStatus.UNKNOWN);
  }

  private ClusterCheck check(String rules) throws Exception {
    Path config = Files.writeString(dir.resolve("raftwatch.yaml"), """
        clusters:
          - name: prod
            job: etcd
            members:
              - {name: a, url: "http://10.0.0.1:2379"}
              - {name: b, url: "http://10.0.0.2:2379"}
        """);
    ClusterConfig cluster = new ConfigLoader().load(config).clusters().get(0);
    Path ruleFile = Files.writeString(dir.resolve("tiny.rules.yaml"), rules);
    EngineQuerySource prometheus = new EngineQuerySource(new Engine(store()), List::of);
    return new PrometheusCheck(prometheus).run(cluster, RuleSource.of(cluster, List.of(ruleFile)),
        new RuleFileLoader(Duration.ofSeconds(5), Map.of(), ""), NOW);
  }

  /** A minute of up, b down for the last ten seconds; Prometheus's own alert state for Known. */
  private static SeriesStore store() throws Exception {
    SeriesStore store = new SeriesStore(1000, Duration.ofDays(365));
    SampleBatch batch = new SampleBatch();
    Labels a = Labels.of("cluster", "prod", "job", "etcd", "instance", "10.0.0.1:2379", "member", "a");
    Labels b = Labels.of("cluster", "prod", "job", "etcd", "instance", "10.0.0.2:2379", "member", "b");
    for (int s = 60; s >= 0; s--) {
      long t = NOW.minusSeconds(s).toEpochMilli();
      batch.clear();
      batch.add(a.toBuilder().set("__name__", "up").build(), t, 1);
      batch.add(a.toBuilder().set("__name__", "etcd_server_is_leader").build(), t, 1);
      batch.add(b.toBuilder().set("__name__", "up").build(), t, s < 10 ? 0 : 1);
      if (s < 10) {
        batch.add(b.toBuilder().set("__name__", "ALERTS_FOR_STATE").set("alertname", "Known")
            .set("severity", "critical").build(), t, NOW.minusSeconds(2).getEpochSecond());
      } else {
        batch.add(b.toBuilder().set("__name__", "etcd_server_is_leader").build(), t, 0);
      }
      store.append("prod", batch);
    }
    return store;
  }
}
