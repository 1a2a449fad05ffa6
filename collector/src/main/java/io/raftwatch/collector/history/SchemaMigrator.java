package io.raftwatch.collector.history;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Brings a history database to the newest schema version, applying each missing versioned script
 * once, in order, and recording it in {@code schema_version}. Called once by {@link
 * HistoryStore#open} on the opening thread.
 *
 * <p>Why not Flyway: the history needs two versioned scripts, one of them for PostgreSQL only;
 * Flyway would add two artifacts (flyway-core, flyway-database-postgresql) that are not in the
 * build's offline repository, and its support for H2 2.5 was not verified. This class is the
 * part of Flyway the project uses: versions applied once in order, a record of them, a lock so
 * that two collectors starting together on PostgreSQL do not both migrate, and a refusal to run
 * against a schema newer than the code.
 */
public final class SchemaMigrator {
  private static final Logger log = LoggerFactory.getLogger(SchemaMigrator.class);
  // Any constant: the key of PostgreSQL's transaction-scoped advisory lock around migrations.
  private static final long PG_LOCK_KEY = 0x7261667477617463L;

  /** One schema version: a script from the classpath, or nothing for dialects it does not touch. */
  record Migration(int version, String description, String h2Script, String postgresScript) {}

  /** Every version, in order. Never edit an applied one: add the next. */
  static final List<Migration> MIGRATIONS = List.of(
      new Migration(1, "alert events, check results, maintenance runs",
          "io/raftwatch/collector/history/V1__history.sql",
          "io/raftwatch/collector/history/V1__history.sql"),
      // Quartz's clustered job store runs on PostgreSQL only; the embedded H2 collector schedules
      // in memory, so there is nothing to create there.
      new Migration(2, "Quartz job store tables (quartz 2.5.2 tables_postgres.sql)", null,
          "org/quartz/impl/jdbcjobstore/tables_postgres.sql"));

  private final Database database;
  private final Clock clock;

  public SchemaMigrator(Database database, Clock clock) {
    this.database = database;
    this.clock = clock;
  }

  /** The newest version this code knows. */
  public static int latestVersion() {
    return MIGRATIONS.get(MIGRATIONS.size() - 1).version();
  }

  /**
   * Applies the missing versions; returns the versions applied (empty when up to date).
   *
   * @throws HistoryException when the database is newer than this code, or a script fails
   */
  public List<Integer> migrate(DataSource ds) {
    List<Integer> applied = new ArrayList<>();
    try (Connection c = ds.getConnection()) {
      c.setAutoCommit(false);
      try (Statement s = c.createStatement()) {
        if (database.dialect() == Database.Dialect.POSTGRESQL) {
          s.execute("SELECT pg_advisory_xact_lock(" + PG_LOCK_KEY + ")");
        }
        s.execute("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER PRIMARY KEY, "
            + "description VARCHAR(200) NOT NULL, applied_at_ms BIGINT NOT NULL)");
      }
      int current = currentVersion(c);
      if (current > latestVersion()) {
        throw new HistoryException("the history in " + database + " has schema version " + current
            + ", newer than this raftwatch knows (" + latestVersion() + "): upgrade raftwatch");
      }
      for (Migration m : MIGRATIONS) {
        if (m.version() <= current) {
          continue;
        }
        String script = database.dialect() == Database.Dialect.POSTGRESQL ? m.postgresScript() : m.h2Script();
        if (script != null) {
          try (Statement s = c.createStatement()) {
            for (String sql : statements(read(script))) {
              s.execute(sql);
            }
          }
        }
        try (PreparedStatement p = c.prepareStatement(
            "INSERT INTO schema_version (version, description, applied_at_ms) VALUES (?, ?, ?)")) {
          p.setInt(1, m.version());
          p.setString(2, m.description());
          p.setLong(3, clock.millis());
          p.executeUpdate();
        }
        applied.add(m.version());
      }
      c.commit();
    } catch (SQLException e) {
      throw new HistoryException("migrating the history schema in " + database + " failed: "
          + e.getMessage(), e);
    }
    if (!applied.isEmpty()) {
      log.info("history {}: applied schema versions {}", database, applied);
    }
    return applied;
  }

  private static int currentVersion(Connection c) throws SQLException {
    try (Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT MAX(version) FROM schema_version")) {
      rs.next();
      return rs.getInt(1);
    }
  }

  private static String read(String resource) {
    try (InputStream in = SchemaMigrator.class.getClassLoader().getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException(resource + " is missing from the classpath");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new IllegalStateException("cannot read " + resource, e);
    }
  }

  /**
   * The statements of a script: {@code --} comment lines dropped, split at semicolons, without
   * Quartz's trailing {@code COMMIT} (the migration commits once, at the end).
   */
  static List<String> statements(String script) {
    StringBuilder sql = new StringBuilder();
    for (String line : script.split("\n")) {
      if (!line.strip().startsWith("--")) {
        sql.append(line).append('\n');
      }
    }
    List<String> out = new ArrayList<>();
    for (String part : sql.toString().split(";")) {
      String s = part.strip();
      if (!s.isEmpty() && !s.equalsIgnoreCase("COMMIT")) {
        out.add(s);
      }
    }
    return out;
  }
}
