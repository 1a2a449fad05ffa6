package io.raftwatch.collector.health;

import io.raftwatch.collector.health.ClusterState;
import io.raftwatch.collector.rules.AlertState;
import io.raftwatch.collector.tsdb.Labels;
import java.util.List;

/**
 * What a check found in one cluster, and its verdict: CRITICAL when an alert with severity {@code
 * critical} fires, else WARNING when one with severity {@code warning} fires, else UNKNOWN when the
 * check could not do its job (no member could be scraped, a rule failed to evaluate), else OK.
 * Pending alerts are reported but change nothing: their {@code for} has not passed. Immutable.
 *
 * @param cluster the cluster's name
 * @param members each member's last scrape, in config order
 * @param alerts pending and firing alerts
 * @param problems why the check is incomplete (rule evaluation errors), for people
 */
public record ClusterCheck(String cluster, List<MemberStatus> members, List<FoundAlert> alerts,
    List<String> problems) {
  public ClusterCheck {
    members = List.copyOf(members);
    alerts = List.copyOf(alerts);
    problems = List.copyOf(problems);
  }

  /** What a run of {@code state}'s cluster found: its members, open alerts and rule problems. */
  public static ClusterCheck of(ClusterState state) {
    List<MemberStatus> members = state.members().stream()
        .map(m -> new MemberStatus(m.name(), m.instance(), m.up(), m.isLeader(), m.hasLeader(),
            m.lastError()))
        .toList();
    List<FoundAlert> alerts = state.alerts().stream()
        .map(a -> new FoundAlert(a.alertname(), a.state(), a.severity(),
            a.annotations().getOrDefault("summary", ""), Labels.of(a.labels())))
        .toList();
    return new ClusterCheck(state.cluster(), members, alerts, state.ruleProblems());
  }

  /** The verdict, as described above. */
  public CheckStatus status() {
    if (firing("critical")) {
      return CheckStatus.CRITICAL;
    }
    if (firing("warning")) {
      return CheckStatus.WARNING;
    }
    if (members.stream().noneMatch(MemberStatus::up) || !problems.isEmpty()) {
      return CheckStatus.UNKNOWN;
    }
    return CheckStatus.OK;
  }

  private boolean firing(String severity) {
    return alerts.stream()
        .anyMatch(a -> a.state() == AlertState.FIRING && a.severity().equals(severity));
  }
}
