package io.raftwatch.collector.history;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.zaxxer.hikari.HikariDataSource;
import io.raftwatch.collector.health.CheckStatus;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * The history over JDBC: alert transitions, check results and maintenance runs (see the package
 * overview). Opened once per process by the collector (or by {@code raftwatch report}); every
 * method may be called from any thread (each takes a pooled connection). Failures are {@link
 * HistoryException}s that name the database, never its password.
 *
 * <p>As an {@link AlertEventListener} it stores every transition it is told about.
 */
public final class HistoryStore implements AlertEventListener, AutoCloseable {
  private static final ObjectMapper JSON =
      new ObjectMapper().configure(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true);
  private static final TypeReference<TreeMap<String, String>> STRING_MAP = new TypeReference<>() {};
  private static final String EVENT_COLUMNS =
      "cluster, alertname, kind, labels_json, annotations_json, alert_value, active_at_ms, at_ms";

  private final Database database;
  private final HikariDataSource pool;

  private HistoryStore(Database database, HikariDataSource pool) {
    this.database = database;
    this.pool = pool;
  }

  /**
   * Connects to {@code database} and migrates its schema to the newest version.
   *
   * @throws HistoryException when the database cannot be reached or migrated
   */
  public static HistoryStore open(Database database, Clock clock) {
    HikariDataSource pool;
    try {
      pool = database.pool("raftwatch-history", 4);
    } catch (RuntimeException e) {
      throw new HistoryException("cannot connect to the history database " + database + ": "
          + rootMessage(e), e);
    }
    try {
      new SchemaMigrator(database, clock).migrate(pool);
    } catch (RuntimeException e) {
      pool.close();
      throw e;
    }
    return new HistoryStore(database, pool);
  }

  public Database database() {
    return database;
  }

  /** Stores {@code events}, in one transaction. */
  @Override
  public void onEvents(List<AlertEvent> events) {
    record(events);
  }

  /** Stores {@code events}, in one transaction. */
  public void record(List<AlertEvent> events) {
    if (events.isEmpty()) {
      return;
    }
    inTransaction("recording alert events", c -> {
      try (PreparedStatement p = c.prepareStatement(
          "INSERT INTO alert_events (" + EVENT_COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?)")) {
        for (AlertEvent e : events) {
          p.setString(1, e.cluster());
          p.setString(2, e.alertname());
          p.setString(3, e.kind().name());
          p.setString(4, json(e.labels()));
          p.setString(5, json(e.annotations()));
          p.setDouble(6, e.value());
          p.setLong(7, e.activeAt().toEpochMilli());
          p.setLong(8, e.at().toEpochMilli());
          p.addBatch();
        }
        p.executeBatch();
      }
      return null;
    });
  }

  /** The events {@code filter} selects, newest first (ties in insertion order, newest first). */
  public List<AlertEvent> events(EventFilter filter) {
    StringBuilder sql = new StringBuilder("SELECT " + EVENT_COLUMNS + " FROM alert_events WHERE 1=1");
    List<Object> args = new ArrayList<>();
    filter.cluster().ifPresent(c -> {
      sql.append(" AND cluster = ?");
      args.add(c);
    });
    filter.alertname().ifPresent(a -> {
      sql.append(" AND alertname = ?");
      args.add(a);
    });
    if (!filter.kinds().isEmpty()) {
      sql.append(" AND kind IN (")
          .append(filter.kinds().stream().map(k -> "?").collect(Collectors.joining(", ")))
          .append(")");
      filter.kinds().stream().sorted().forEach(k -> args.add(k.name()));
    }
    filter.from().ifPresent(f -> {
      sql.append(" AND at_ms >= ?");
      args.add(f.toEpochMilli());
    });
    filter.to().ifPresent(t -> {
      sql.append(" AND at_ms < ?");
      args.add(t.toEpochMilli());
    });
    sql.append(" ORDER BY at_ms DESC, id DESC FETCH FIRST ").append(filter.limit()).append(" ROWS ONLY");
    return query("reading alert events", sql.toString(), args, HistoryStore::event);
  }

  /**
   * The alerts of {@code cluster} whose latest transition is pending or firing, oldest first:
   * what a restarted collector restores so that {@code for} clocks continue.
   */
  public List<AlertEvent> openAlerts(String cluster) {
    return query("reading open alerts",
        "SELECT " + EVENT_COLUMNS + " FROM alert_events e WHERE e.cluster = ? AND e.kind <> 'RESOLVED'"
            + " AND e.id = (SELECT MAX(l.id) FROM alert_events l"
            + " WHERE l.cluster = e.cluster AND l.labels_json = e.labels_json) ORDER BY e.id",
        List.of(cluster), HistoryStore::event);
  }

  /**
   * Stores a check result, unless one for the same cluster and fire time is already there (another
   * collector ran that fire, or this one before a restart).
   *
   * @return whether it was stored
   */
  public boolean recordCheck(CheckResult r) {
    return inTransaction("recording a check result", c -> {
      // Check then insert, under the primary key: a concurrent duplicate still fails the insert,
      // which is reported as "not stored" below.
      try (PreparedStatement q = c.prepareStatement(
          "SELECT 1 FROM check_results WHERE cluster = ? AND fire_time_ms = ?")) {
        q.setString(1, r.cluster());
        q.setLong(2, r.fireTime().toEpochMilli());
        try (ResultSet rs = q.executeQuery()) {
          if (rs.next()) {
            return false;
          }
        }
      }
      try (PreparedStatement p = c.prepareStatement("INSERT INTO check_results (cluster, "
          + "fire_time_ms, checked_at_ms, status, summary, instance) VALUES (?, ?, ?, ?, ?, ?)")) {
        p.setString(1, r.cluster());
        p.setLong(2, r.fireTime().toEpochMilli());
        p.setLong(3, r.checkedAt().toEpochMilli());
        p.setString(4, r.status().name());
        p.setString(5, truncate(r.summary(), 4000));
        p.setString(6, r.instance());
        p.executeUpdate();
        return true;
      } catch (SQLException e) {
        if (isDuplicateKey(e)) {
          // PostgreSQL has aborted the transaction; end it so the commit below is a no-op.
          c.rollback();
          return false;
        }
        throw e;
      }
    });
  }

  /** The check results of {@code cluster} fired in [from, to), newest first, at most {@code limit}. */
  public List<CheckResult> checks(String cluster, Instant from, Instant to, int limit) {
    return query("reading check results",
        "SELECT cluster, fire_time_ms, checked_at_ms, status, summary, instance FROM check_results"
            + " WHERE cluster = ? AND fire_time_ms >= ? AND fire_time_ms < ?"
            + " ORDER BY fire_time_ms DESC FETCH FIRST " + Math.max(1, limit) + " ROWS ONLY",
        List.of(cluster, from.toEpochMilli(), to.toEpochMilli()),
        rs -> new CheckResult(rs.getString(1), Instant.ofEpochMilli(rs.getLong(2)),
            Instant.ofEpochMilli(rs.getLong(3)), CheckStatus.valueOf(rs.getString(4)),
            rs.getString(5), rs.getString(6)));
  }

  /** The latest check result of {@code cluster}. */
  public Optional<CheckResult> lastCheck(String cluster) {
    return checks(cluster, Instant.EPOCH, Instant.ofEpochMilli(Long.MAX_VALUE), 1).stream().findFirst();
  }

  /** Stores a maintenance run. */
  public void recordMaintenance(MaintenanceRun r) {
    inTransaction("recording a maintenance run", c -> {
      try (PreparedStatement p = c.prepareStatement("INSERT INTO maintenance_runs (cluster, member, "
          + "action, started_at_ms, finished_at_ms, outcome, detail, instance) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")) {
        p.setString(1, r.cluster());
        p.setString(2, r.member());
        p.setString(3, r.action());
        p.setLong(4, r.startedAt().toEpochMilli());
        p.setLong(5, r.finishedAt().toEpochMilli());
        p.setString(6, r.outcome().name());
        p.setString(7, truncate(r.detail(), 4000));
        p.setString(8, r.instance());
        p.executeUpdate();
      }
      return null;
    });
  }

  /**
   * The maintenance runs started in [from, to), of {@code cluster} or of every cluster, newest
   * first, at most {@code limit}.
   */
  public List<MaintenanceRun> maintenanceRuns(Optional<String> cluster, Instant from, Instant to, int limit) {
    List<Object> args = new ArrayList<>();
    cluster.ifPresent(args::add);
    args.add(from.toEpochMilli());
    args.add(to.toEpochMilli());
    return query("reading maintenance runs",
        "SELECT cluster, member, action, started_at_ms, finished_at_ms, outcome, detail, instance"
            + " FROM maintenance_runs WHERE " + (cluster.isPresent() ? "cluster = ? AND " : "")
            + "started_at_ms >= ? AND started_at_ms < ? ORDER BY started_at_ms DESC, id DESC"
            + " FETCH FIRST " + Math.max(1, limit) + " ROWS ONLY",
        args,
        rs -> new MaintenanceRun(rs.getString(1), rs.getString(2), rs.getString(3),
            Instant.ofEpochMilli(rs.getLong(4)), Instant.ofEpochMilli(rs.getLong(5)),
            MaintenanceRun.Outcome.valueOf(rs.getString(6)), rs.getString(7), rs.getString(8)));
  }

  /**
   * Deletes what is older than {@code cutoff}: alert events, except each open alert's latest one
   * (a restart restores from it), check results and maintenance runs. Returns the rows deleted.
   */
  public int deleteBefore(Instant cutoff) {
    long ms = cutoff.toEpochMilli();
    return inTransaction("deleting old history", c -> {
      int n = 0;
      try (PreparedStatement p = c.prepareStatement("DELETE FROM alert_events WHERE at_ms < ? AND NOT ("
          + "kind <> 'RESOLVED' AND id = (SELECT MAX(l.id) FROM alert_events l"
          + " WHERE l.cluster = alert_events.cluster AND l.labels_json = alert_events.labels_json))")) {
        p.setLong(1, ms);
        n += p.executeUpdate();
      }
      try (PreparedStatement p = c.prepareStatement("DELETE FROM check_results WHERE fire_time_ms < ?")) {
        p.setLong(1, ms);
        n += p.executeUpdate();
      }
      try (PreparedStatement p = c.prepareStatement("DELETE FROM maintenance_runs WHERE started_at_ms < ?")) {
        p.setLong(1, ms);
        n += p.executeUpdate();
      }
      return n;
    });
  }

  @Override
  public void close() {
    pool.close();
  }

  private static AlertEvent event(ResultSet rs) throws SQLException {
    return new AlertEvent(rs.getString(1), rs.getString(2), AlertEvent.Kind.valueOf(rs.getString(3)),
        map(rs.getString(4)), map(rs.getString(5)), rs.getDouble(6),
        Instant.ofEpochMilli(rs.getLong(7)), Instant.ofEpochMilli(rs.getLong(8)));
  }

  private static String json(SortedMap<String, String> m) {
    try {
      return JSON.writeValueAsString(m);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a string map did not serialise", e);
    }
  }

  private static SortedMap<String, String> map(String json) throws SQLException {
    try {
      return JSON.readValue(json, STRING_MAP);
    } catch (JsonProcessingException e) {
      throw new SQLException("a stored label set is not a JSON object: " + e.getOriginalMessage(), e);
    }
  }

  private static String truncate(String s, int max) {
    return s.length() <= max ? s : s.substring(0, max - 1) + "…";
  }

  // SQLSTATE 23505: unique violation, in both H2 and PostgreSQL.
  private static boolean isDuplicateKey(SQLException e) {
    return "23505".equals(e.getSQLState());
  }

  private static String rootMessage(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null) {
      t = t.getCause();
    }
    return t.getMessage() == null ? t.toString() : t.getMessage();
  }

  @FunctionalInterface
  private interface Work<T> {
    T run(Connection c) throws SQLException;
  }

  @FunctionalInterface
  private interface RowReader<T> {
    T read(ResultSet rs) throws SQLException;
  }

  private <T> T inTransaction(String what, Work<T> work) {
    try (Connection c = pool.getConnection()) {
      c.setAutoCommit(false);
      try {
        T result = work.run(c);
        c.commit();
        return result;
      } catch (SQLException | RuntimeException e) {
        c.rollback();
        throw e;
      }
    } catch (SQLException e) {
      throw new HistoryException(what + " in " + database + " failed: " + e.getMessage(), e);
    }
  }

  private <T> List<T> query(String what, String sql, List<Object> args, RowReader<T> reader) {
    try (Connection c = pool.getConnection(); PreparedStatement p = c.prepareStatement(sql)) {
      for (int i = 0; i < args.size(); i++) {
        p.setObject(i + 1, args.get(i));
      }
      List<T> out = new ArrayList<>();
      try (ResultSet rs = p.executeQuery()) {
        while (rs.next()) {
          out.add(reader.read(rs));
        }
      }
      return out;
    } catch (SQLException e) {
      throw new HistoryException(what + " in " + database + " failed: " + e.getMessage(), e);
    }
  }
}
