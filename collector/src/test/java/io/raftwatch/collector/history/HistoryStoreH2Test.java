package io.raftwatch.collector.history;

import static org.assertj.core.api.Assertions.assertThat;

import io.raftwatch.collector.fixture.ManualClock;
import io.raftwatch.collector.health.CheckStatus;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The history on an embedded H2 file: what is written reads back, and survives a reopen. */
class HistoryStoreH2Test {
  @TempDir Path dir;
  private final ManualClock clock = new ManualClock(Instant.parse("2026-11-24T12:00:00Z"));

  @Test
  void eventsChecksAndMaintenanceRunsRoundTripAndSurviveAReopen() {
    Instant t0 = clock.instant();
    AlertEvent pending = event("prod", "etcdMembersDown", AlertEvent.Kind.PENDING, t0, t0);
    AlertEvent firing = event("prod", "etcdMembersDown", AlertEvent.Kind.FIRING, t0, t0.plusSeconds(600));
    AlertEvent other = event("test", "etcdNoLeader", AlertEvent.Kind.PENDING, t0, t0.plusSeconds(30));
    CheckResult check = new CheckResult("prod", t0, t0.plusMillis(120), CheckStatus.CRITICAL,
        "prod: 2/3 members up, leader member-1, 1 firing, 0 pending", "local");
    MaintenanceRun defrag = new MaintenanceRun("prod", "member-2", "defragment", t0,
        t0.plusSeconds(3), MaintenanceRun.Outcome.SUCCEEDED, "db 120 MB -> 40 MB", "local");
    try (HistoryStore h = HistoryStore.open(Database.h2(dir), clock)) {
      h.record(List.of(pending));
      h.onEvents(List.of(firing, other));
      assertThat(h.recordCheck(check)).isTrue();
      assertThat(h.recordCheck(check)).as("a second result for the same fire").isFalse();
      h.recordMaintenance(defrag);
    }

    try (HistoryStore h = HistoryStore.open(Database.h2(dir), clock)) {
      assertThat(h.events(EventFilter.all())).containsExactly(firing, other, pending);
      assertThat(h.events(EventFilter.all().withCluster("prod"))).containsExactly(firing, pending);
      assertThat(h.events(EventFilter.all().withKinds(Set.of(AlertEvent.Kind.PENDING))))
          .containsExactly(other, pending);
      assertThat(h.events(EventFilter.all().between(t0, t0.plusSeconds(60)))).containsExactly(other, pending);
      assertThat(h.events(EventFilter.all().withAlertname("etcdNoLeader").withLimit(1)))
          .containsExactly(other);
      assertThat(h.openAlerts("prod")).containsExactly(firing);
      assertThat(h.checks("prod", t0, t0.plusSeconds(1), 10)).containsExactly(check);
      assertThat(h.lastCheck("prod")).contains(check);
      assertThat(h.maintenanceRuns(Optional.of("prod"), t0, t0.plusSeconds(1), 10)).containsExactly(defrag);
      assertThat(h.maintenanceRuns(Optional.empty(), t0, t0.plusSeconds(1), 10)).containsExactly(defrag);
    }
  }

  @Test
  void retentionKeepsTheLatestEventOfAnOpenAlert() {
    Instant t0 = clock.instant();
    AlertEvent oldResolvedStart = event("prod", "a", AlertEvent.Kind.PENDING, t0, t0);
    AlertEvent oldResolved = event("prod", "a", AlertEvent.Kind.RESOLVED, t0, t0.plusSeconds(60));
    AlertEvent stillFiring = event("prod", "b", AlertEvent.Kind.FIRING, t0, t0.plusSeconds(60));
    try (HistoryStore h = HistoryStore.open(Database.h2(dir), clock)) {
      h.record(List.of(oldResolvedStart, oldResolved, stillFiring));
      h.recordCheck(new CheckResult("prod", t0, t0, CheckStatus.OK, "ok", "local"));

      int deleted = h.deleteBefore(t0.plus(Duration.ofDays(1)));

      assertThat(deleted).isEqualTo(3);
      assertThat(h.events(EventFilter.all())).containsExactly(stillFiring);
      assertThat(h.openAlerts("prod")).containsExactly(stillFiring);
      assertThat(h.lastCheck("prod")).isEmpty();
    }
  }

  static AlertEvent event(String cluster, String name, AlertEvent.Kind kind, Instant activeAt, Instant at) {
    return new AlertEvent(cluster, name, kind,
        AlertEvent.sorted(Map.of("alertname", name, "cluster", cluster, "severity", "critical")),
        AlertEvent.sorted(Map.of("summary", "etcd cluster members are down.", "runbook_url",
            "https://example.com/runbook")), 1.0, activeAt, at);
  }
}
