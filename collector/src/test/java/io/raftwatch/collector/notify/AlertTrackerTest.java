package io.raftwatch.collector.notify;

import static org.assertj.core.api.Assertions.assertThat;

import io.raftwatch.collector.tsdb.Labels;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * What is sent when, minute by minute, on manual time: Prometheus's {@code needsSending} and
 * {@code sendAlerts} (rules/alerting.go) with the default 1m resend delay.
 */
class AlertTrackerTest {
  private static final Instant T0 = Instant.parse("2026-11-24T12:00:00Z");
  private static final Labels NO_LEADER = Labels.of("alertname", "etcdNoLeader", "cluster", "prod");
  private static final Labels ANNOTATIONS = Labels.of("summary", "no leader");
  private static final String URL = "http://rw:9095/graph?g0.expr=x&g0.tab=1";

  private final AlertTracker tracker =
      new AlertTracker(Duration.ofMinutes(1), Duration.ofSeconds(15));

  @Test
  void firingAlertIsSentAtOnceThenEveryResendDelayWithAFourfoldLease() {
    tracker.firing(NO_LEADER, ANNOTATIONS, T0, URL);
    // step: seconds after T0 -> what is sent (endsAt), "-" for nothing
    assertThat(steps(0, 15, 30, 45, 60, 75, 90, 135, 150)).containsExactly(
        "0s firing endsAt=+240s",
        "15s -",
        "30s -",
        "45s -",
        // Prometheus resends only once the delay has strictly passed.
        "60s -",
        "75s firing endsAt=+315s",
        "90s -",
        "135s -",
        "150s firing endsAt=+390s");
  }

  @Test
  void leaseUsesTheEvaluationIntervalWhenItIsLongerThanTheResendDelay() {
    AlertTracker slow = new AlertTracker(Duration.ofMinutes(1), Duration.ofMinutes(2));
    slow.firing(NO_LEADER, ANNOTATIONS, T0, URL);
    assertThat(slow.due(T0).get(0).endsAt()).isEqualTo(T0.plus(Duration.ofMinutes(8)));
  }

  @Test
  void resolvedAlertIsSentAtOnceAndResentFor15MinutesThenForgotten() {
    tracker.firing(NO_LEADER, ANNOTATIONS, T0, URL);
    tracker.due(T0);
    tracker.resolved(NO_LEADER, T0.plusSeconds(20));
    assertThat(steps(30, 45, 91, 600, 930, 945)).containsExactly(
        // Resolved after the last send: sent at the next tick, not a minute later.
        "30s resolved endsAt=+20s",
        "45s -",
        "91s resolved endsAt=+20s",
        "600s resolved endsAt=+20s",
        // 20s + 15m = 920s: past the retention, Prometheus has deleted the alert.
        "930s -",
        "945s -");
    assertThat(tracker.size()).isZero();
  }

  @Test
  void startsAtIsWhenTheAlertFiredAndAnnotationsFollowTheLatestEvaluation() {
    tracker.firing(NO_LEADER, ANNOTATIONS, T0, URL);
    tracker.firing(NO_LEADER, Labels.of("summary", "still no leader"), T0.plusSeconds(60), URL);
    OutgoingAlert sent = tracker.due(T0.plusSeconds(61)).get(0);
    assertThat(sent.startsAt()).isEqualTo(T0);
    assertThat(sent.annotations()).isEqualTo(Labels.of("summary", "still no leader"));
    assertThat(sent.generatorUrl()).isEqualTo(URL);
  }

  @Test
  void alertFiringAgainAfterResolvingIsANewAlertWithANewStart() {
    tracker.firing(NO_LEADER, ANNOTATIONS, T0, URL);
    tracker.resolved(NO_LEADER, T0.plusSeconds(30));
    tracker.due(T0.plusSeconds(30));
    tracker.firing(NO_LEADER, ANNOTATIONS, T0.plusSeconds(45), URL);
    OutgoingAlert sent = tracker.due(T0.plusSeconds(45)).get(0);
    assertThat(sent.resolved()).isFalse();
    assertThat(sent.startsAt()).isEqualTo(T0.plusSeconds(45));
  }

  @Test
  void resolutionOfAnAlertNeverSeenFiringSendsNothing() {
    tracker.resolved(NO_LEADER, T0);
    assertThat(tracker.due(T0)).isEmpty();
    assertThat(tracker.size()).isZero();
  }

  private List<String> steps(int... seconds) {
    List<String> out = new ArrayList<>();
    for (int s : seconds) {
      Instant now = T0.plusSeconds(s);
      List<OutgoingAlert> due = tracker.due(now);
      out.add(s + "s " + (due.isEmpty() ? "-" : due.stream()
          .map(a -> (a.resolved() ? "resolved" : "firing") + " endsAt=+"
              + Duration.between(T0, a.endsAt()).toSeconds() + "s")
          .reduce((a, b) -> a + ", " + b).orElseThrow()));
    }
    return out;
  }
}
