package io.raftwatch.collector.history;

import static io.raftwatch.collector.history.HistoryStoreH2Test.event;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.raftwatch.collector.fixture.ManualClock;
import io.raftwatch.collector.fixture.Postgres;
import io.raftwatch.collector.health.CheckStatus;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The history on a real PostgreSQL 15, in a schema of its own: the same round trip as on H2, the
 * migrations (including Quartz's tables), their idempotence, and a refusal of a newer schema.
 * Skips when the server is unreachable (fails when CI=true).
 */
class HistoryStorePostgresTest {
  private final ManualClock clock = new ManualClock(Instant.parse("2026-11-24T12:00:00Z"));
  private Postgres pg;

  @BeforeEach
  void createSchema() {
    pg = Postgres.create();
  }

  @AfterEach
  void dropSchema() {
    pg.close();
  }

  private Database database() {
    return Database.of(pg.url(), Optional.empty(), Optional.empty());
  }

  @Test
  void roundTripAndReopen() {
    Instant t0 = clock.instant();
    AlertEvent pending = event("prod", "etcdMembersDown", AlertEvent.Kind.PENDING, t0, t0);
    AlertEvent firing = event("prod", "etcdMembersDown", AlertEvent.Kind.FIRING, t0, t0.plusSeconds(600));
    CheckResult check = new CheckResult("prod", t0, t0.plusMillis(120), CheckStatus.WARNING,
        "prod: 3/3 members up, leader member-1, 1 firing, 0 pending", "host-1700000000000");
    MaintenanceRun run = new MaintenanceRun("prod", "", "compact", t0, t0.plusSeconds(1),
        MaintenanceRun.Outcome.FAILED, "etcdserver: mvcc: required revision has been compacted", "host-1");
    try (HistoryStore h = HistoryStore.open(database(), clock)) {
      h.record(List.of(pending, firing));
      assertThat(h.recordCheck(check)).isTrue();
      assertThat(h.recordCheck(check)).isFalse();
      h.recordMaintenance(run);
    }
    try (HistoryStore h = HistoryStore.open(database(), clock)) {
      assertThat(h.events(EventFilter.all())).containsExactly(firing, pending);
      assertThat(h.openAlerts("prod")).containsExactly(firing);
      assertThat(h.lastCheck("prod")).contains(check);
      assertThat(h.maintenanceRuns(Optional.empty(), t0, t0.plusSeconds(1), 5)).containsExactly(run);
    }
  }

  @Test
  void migrationsCreateTheHistoryAndQuartzTablesOnce() throws Exception {
    HistoryStore.open(database(), clock).close();
    HistoryStore.open(database(), clock).close();

    try (Connection c = DriverManager.getConnection(pg.url()); Statement s = c.createStatement()) {
      List<String> tables = new ArrayList<>();
      try (ResultSet rs = s.executeQuery("SELECT table_name FROM information_schema.tables "
          + "WHERE table_schema = '" + pg.schema() + "' ORDER BY table_name")) {
        while (rs.next()) {
          tables.add(rs.getString(1));
        }
      }
      assertThat(tables).contains("alert_events", "check_results", "maintenance_runs",
          "schema_version", "qrtz_job_details", "qrtz_triggers", "qrtz_fired_triggers",
          "qrtz_scheduler_state", "qrtz_locks");
      assertThat(tables.stream().filter(t -> t.startsWith("qrtz_"))).hasSize(11);
      try (ResultSet rs = s.executeQuery("SELECT version FROM schema_version ORDER BY version")) {
        List<Integer> versions = new ArrayList<>();
        while (rs.next()) {
          versions.add(rs.getInt(1));
        }
        assertThat(versions).containsExactly(1, 2);
      }
      s.execute("INSERT INTO schema_version VALUES (99, 'from the future', 0)");
    }
    assertThatThrownBy(() -> HistoryStore.open(database(), clock))
        .isInstanceOf(HistoryException.class)
        .hasMessageContaining("has schema version 99, newer than this raftwatch knows (2)")
        .hasMessageNotContaining("password=raftwatch");
  }

  @Test
  void wrongPasswordIsOneClearErrorWithoutThePassword() {
    assumeTrue(pg.url().contains("password=raftwatch"), "needs the default test URL's password");
    String url = pg.url().replace("password=raftwatch", "password=not-the-password");
    assertThatThrownBy(() -> HistoryStore.open(Database.of(url, Optional.empty(), Optional.empty()), clock))
        .isInstanceOf(HistoryException.class)
        .hasMessageContaining("cannot connect to the history database jdbc:postgresql://127.0.0.1")
        .hasMessageContaining("password=***")
        .hasMessageContaining("password authentication failed")
        .hasMessageNotContaining("not-the-password");
  }
}
