package io.raftwatch.collector.rules;

import static org.assertj.core.api.Assertions.assertThat;

import io.raftwatch.collector.promql.Engine;
import io.raftwatch.collector.tsdb.Labels;
import io.raftwatch.collector.tsdb.SampleBatch;
import io.raftwatch.collector.tsdb.SeriesStore;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * {@link AlertingRule#restore}: after a restart the {@code for} clock continues from the original
 * activeAt, as Prometheus's restore from ALERTS_FOR_STATE does. One evaluation per minute over a
 * real store and engine; "restart" is a new rule object.
 */
class AlertingRuleRestoreTest {
  private static final Labels ALERT = Labels.of("alertname", "HighValue", "instance", "m1", "severity", "page");
  private final SeriesStore store = new SeriesStore(1000, Duration.ofDays(1));
  private final QueryFunction query = QueryFunction.of(new Engine(store));

  AlertingRuleRestoreTest() throws Exception {
    SampleBatch b = new SampleBatch();
    Labels v = Labels.of("__name__", "v", "instance", "m1");
    // v is 2 for minutes 0..10, then 0.
    for (int m = 0; m <= 12; m++) {
      b.add(v, m * 60_000L, m <= 10 ? 2 : 0);
    }
    store.append("test", b);
  }

  private static AlertingRule rule() throws Exception {
    return new AlertingRule("HighValue", Engine.parse("v > 1"), Duration.ofMinutes(5), Duration.ZERO,
        Map.of("severity", "page"), Map.of(), Map.of(), "");
  }

  private static Instant minute(int m) {
    return Instant.ofEpochSecond(60L * m);
  }

  private AlertState eval(AlertingRule r, int m) throws Exception {
    r.eval(minute(m), query, 0);
    List<Alert> alerts = r.activeAlerts();
    return alerts.isEmpty() ? null : alerts.get(0).state();
  }

  @Test
  void pendingForThreeMinutesBeforeARestartFiresTwoMinutesAfterIt() throws Exception {
    AlertingRule before = rule();
    for (int m = 0; m <= 3; m++) {
      assertThat(eval(before, m)).isEqualTo(AlertState.PENDING);
    }
    Instant activeAt = before.activeAlerts().get(0).activeAt();
    assertThat(activeAt).isEqualTo(minute(0));

    AlertingRule after = rule();
    assertThat(eval(after, 3)).isEqualTo(AlertState.PENDING);
    assertThat(after.restore(ALERT, activeAt, Optional.empty())).isTrue();
    assertThat(after.activeAlerts().get(0).activeAt()).isEqualTo(minute(0));
    assertThat(eval(after, 4)).isEqualTo(AlertState.PENDING);
    assertThat(eval(after, 5)).as("5m after it first held, 2m after the restart").isEqualTo(AlertState.FIRING);
    assertThat(after.activeAlerts().get(0).firedAt()).contains(minute(5));
  }

  @Test
  void withoutRestoreTheClockStartsOver() throws Exception {
    AlertingRule after = rule();
    for (int m = 3; m <= 7; m++) {
      assertThat(eval(after, m)).as("minute %d", m).isEqualTo(AlertState.PENDING);
    }
    assertThat(eval(after, 8)).isEqualTo(AlertState.FIRING);
  }

  @Test
  void aFiringAlertIsFiringAgainAtOnceWithItsFiredAt() throws Exception {
    AlertingRule after = rule();
    eval(after, 7);

    assertThat(after.restore(ALERT, minute(0), Optional.of(minute(5)))).isTrue();

    Alert a = after.activeAlerts().get(0);
    assertThat(a.state()).isEqualTo(AlertState.FIRING);
    assertThat(a.firedAt()).contains(minute(5));
    assertThat(eval(after, 8)).isEqualTo(AlertState.FIRING);
  }

  @Test
  void anAlertNoLongerActiveAtTheFirstEvaluationIsNotRestored() throws Exception {
    AlertingRule after = rule();
    assertThat(eval(after, 11)).isNull();

    assertThat(after.restore(ALERT, minute(0), Optional.empty())).isFalse();
    assertThat(after.restore(ALERT.toBuilder().set("instance", "m2").build(), minute(0),
        Optional.empty())).isFalse();
    assertThat(after.activeAlerts()).isEmpty();
  }
}
