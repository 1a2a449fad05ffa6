package io.raftwatch.collector.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.raftwatch.collector.promql.Engine;
import io.raftwatch.collector.promql.Value.Sample;
import io.raftwatch.collector.tsdb.Labels;
import io.raftwatch.collector.tsdb.SampleBatch;
import io.raftwatch.collector.tsdb.SeriesStore;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The alert life cycle of {@link AlertingRule}, step by step as prometheus {@code
 * rules/alerting_test.go} (TestKeepFiringFor) shows it: one row per evaluation minute, over a real
 * series store and the real engine.
 */
class AlertingRuleTest {
  private final SeriesStore store = new SeriesStore(1000, Duration.ofDays(1));
  private final QueryFunction query = QueryFunction.of(new Engine(store));

  private void load(String series, String values) throws Exception {
    Labels l = RuleUnitTester.metric(series);
    SampleBatch b = new SampleBatch();
    List<Double> v = SeriesValues.parse(values);
    for (int i = 0; i < v.size(); i++) {
      if (v.get(i) != null) {
        b.add(l, i * 60_000L, v.get(i));
      }
    }
    store.append("test", b);
  }

  private static AlertingRule rule(String expr, Duration hold, Duration keep) throws Exception {
    return new AlertingRule(
        "HighValue", Engine.parse(expr), hold, keep, Map.of("severity", "page"),
        Map.of("summary", "{{ $labels.instance }} at {{ $value }}"), Map.of(), "");
  }

  private static String state(AlertingRule r) {
    List<Alert> alerts = r.activeAlerts();
    return alerts.isEmpty() ? "-" : alerts.get(0).state().toString();
  }

  @Test
  void pendingFiringKeptFiringResolvedAndPendingAgain() throws Exception {
    load("v{instance=\"m1\"}", "2 2 2 2 0 0 0 0 2 0 0");
    AlertingRule r = rule("v > 1", Duration.ofMinutes(2), Duration.ofMinutes(3));
    // minute, state after the evaluation at that minute, ALERTS samples written
    Object[][] steps = {
      {0, "pending", 2}, // v > 1 returns it: pending since 0m
      {1, "pending", 2},
      {2, "firing", 2}, // held for `for: 2m`
      {3, "firing", 2},
      {4, "firing", 2}, // expression empty; keep_firing_for holds it (since 4m)
      {5, "firing", 2},
      {6, "firing", 2},
      {7, "inactive", 0}, // 3m of keep_firing_for passed: resolved at 7m
      {8, "pending", 2}, // returned again: a new pending alert replaces the resolved one
      {9, "-", 0}, // a pending alert that disappears is dropped at once
    };
    for (Object[] step : steps) {
      Instant t = Instant.ofEpochSecond(60L * (int) step[0]);
      List<Sample> out = r.eval(t, query, 0);
      assertThat(state(r)).as("state at minute %s", step[0]).isEqualTo(step[1]);
      assertThat(out).as("samples at minute %s", step[0]).hasSize((int) step[2]);
    }
  }

  @Test
  void keepsAResolvedAlertFor15MinutesWithItsResolvedTime() throws Exception {
    load("v{instance=\"m1\"}", "2 2 0x30");
    AlertingRule r = rule("v > 1", Duration.ZERO, Duration.ZERO);
    for (int m = 0; m <= 18; m++) {
      r.eval(Instant.ofEpochSecond(60L * m), query, 0);
      if (m == 2) {
        assertThat(r.activeAlerts().get(0).resolvedAt()).contains(Instant.ofEpochSecond(120));
      }
      // Resolved at 2m; kept while 15m have not passed since, dropped after.
      assertThat(r.activeAlerts()).as("minute %d", m).hasSize(m <= 17 ? 1 : 0);
    }
  }

  @Test
  void writesAlertsAndAlertsForStateSeries() throws Exception {
    load("v{instance=\"m1\"}", "2 2 2");
    AlertingRule r = rule("v > 1", Duration.ofMinutes(1), Duration.ZERO);
    r.eval(Instant.ofEpochSecond(0), query, 0);
    List<Sample> out = r.eval(Instant.ofEpochSecond(60), query, 0);
    assertThat(out)
        .containsExactly(
            new Sample(
                Labels.of("__name__", "ALERTS", "alertname", "HighValue", "alertstate", "firing",
                    "instance", "m1", "severity", "page"),
                60_000, 1),
            new Sample(
                Labels.of("__name__", "ALERTS_FOR_STATE", "alertname", "HighValue",
                    "instance", "m1", "severity", "page"),
                60_000, 0));
    assertThat(r.activeAlerts().get(0).annotations()).isEqualTo(Labels.of("summary", "m1 at 2"));
  }

  @Test
  void labelTemplatesSeeLabelsAndValue() throws Exception {
    load("v{instance=\"m1\"}", "7");
    AlertingRule r = new AlertingRule("A", Engine.parse("v"), Duration.ZERO, Duration.ZERO,
        Map.of("where", "{{ $labels.instance }}/{{ $value }}"), Map.of(), Map.of(), "");
    r.eval(Instant.EPOCH, query, 0);
    assertThat(r.activeAlerts().get(0).labels().get("where")).isEqualTo("m1/7");
  }

  @Test
  void moreAlertsThanTheLimitFailAndClearTheRule() throws Exception {
    load("v{instance=\"m1\"}", "2");
    load("v{instance=\"m2\"}", "2");
    AlertingRule r = rule("v > 1", Duration.ZERO, Duration.ZERO);
    assertThatThrownBy(() -> r.eval(Instant.EPOCH, query, 1))
        .isInstanceOf(RuleEvaluationException.class)
        .hasMessage("exceeded limit of 1 with 2 alerts");
    assertThat(r.activeAlerts()).isEmpty();
  }

  @Test
  void labelsThatMakeTwoAlertsEqualAreAnError() throws Exception {
    load("v{instance=\"m1\"}", "2");
    load("v{instance=\"m2\"}", "2");
    AlertingRule r = new AlertingRule("A", Engine.parse("v"), Duration.ZERO, Duration.ZERO,
        Map.of("instance", "all"), Map.of(), Map.of(), "");
    assertThatThrownBy(() -> r.eval(Instant.EPOCH, query, 0))
        .hasMessage("vector contains metrics with the same labelset after applying alert labels");
  }
}
