package io.raftwatch.collector.health;

import static org.assertj.core.api.Assertions.assertThat;

import io.raftwatch.collector.rules.AlertState;
import io.raftwatch.collector.tsdb.Labels;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The Nagios verdict of one cluster's findings, and how clusters' verdicts combine. */
class ClusterCheckTest {
  private static final MemberStatus UP =
      new MemberStatus("m1", "127.0.0.1:2379", true, Optional.of(true), Optional.of(true), Optional.empty());
  private static final MemberStatus DOWN = new MemberStatus("m2", "127.0.0.1:2380", false,
      Optional.empty(), Optional.empty(), Optional.of("connection refused"));

  private static FoundAlert alert(AlertState state, String severity) {
    return new FoundAlert("etcdSomething", state, severity, "something", Labels.of("severity", severity));
  }

  private static CheckStatus status(List<MemberStatus> members, List<FoundAlert> alerts, List<String> problems) {
    return new ClusterCheck("c", members, alerts, problems).status();
  }

  @Test
  void okWhenNothingFires() {
    assertThat(status(List.of(UP), List.of(), List.of())).isEqualTo(CheckStatus.OK);
  }

  @Test
  void pendingAlertsAndADownMemberAloneDoNotChangeTheStatus() {
    assertThat(status(List.of(UP, DOWN),
        List.of(alert(AlertState.PENDING, "critical"), alert(AlertState.PENDING, "warning")),
        List.of())).isEqualTo(CheckStatus.OK);
  }

  @Test
  void firingWarningIsWarning() {
    assertThat(status(List.of(UP), List.of(alert(AlertState.FIRING, "warning"),
        alert(AlertState.PENDING, "critical")), List.of())).isEqualTo(CheckStatus.WARNING);
  }

  @Test
  void firingCriticalIsCriticalEvenBesideWarnings() {
    assertThat(status(List.of(UP), List.of(alert(AlertState.FIRING, "warning"),
        alert(AlertState.FIRING, "critical")), List.of())).isEqualTo(CheckStatus.CRITICAL);
  }

  @Test
  void firingAlertOfAnotherSeverityIsOk() {
    assertThat(status(List.of(UP), List.of(alert(AlertState.FIRING, "info")), List.of()))
        .isEqualTo(CheckStatus.OK);
  }

  @Test
  void noMemberReachableIsUnknown() {
    assertThat(status(List.of(DOWN), List.of(), List.of())).isEqualTo(CheckStatus.UNKNOWN);
  }

  @Test
  void ruleErrorIsUnknownUnlessSomethingFires() {
    assertThat(status(List.of(UP), List.of(), List.of("rule failed"))).isEqualTo(CheckStatus.UNKNOWN);
    assertThat(status(List.of(UP), List.of(alert(AlertState.FIRING, "warning")), List.of("rule failed")))
        .isEqualTo(CheckStatus.WARNING);
  }

  @Test
  void worstOfClustersRanksUnknownBetweenWarningAndCritical() {
    assertThat(CheckStatus.worst(List.of())).isEqualTo(CheckStatus.OK);
    assertThat(CheckStatus.worst(List.of(CheckStatus.OK, CheckStatus.WARNING, CheckStatus.UNKNOWN)))
        .isEqualTo(CheckStatus.UNKNOWN);
    assertThat(CheckStatus.worst(List.of(CheckStatus.UNKNOWN, CheckStatus.CRITICAL, CheckStatus.OK)))
        .isEqualTo(CheckStatus.CRITICAL);
  }

  @Test
  void exitCodesAreNagios() {
    assertThat(List.of(CheckStatus.OK, CheckStatus.WARNING, CheckStatus.CRITICAL, CheckStatus.UNKNOWN))
        .extracting(CheckStatus::exitCode).containsExactly(0, 1, 2, 3);
  }
}
