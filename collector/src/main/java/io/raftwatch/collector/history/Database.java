package io.raftwatch.collector.history;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.nio.file.Path;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Where the history lives: an embedded H2 file, or a PostgreSQL server shared by several
 * collectors. Immutable. The password is never part of {@link #toString()} or {@link
 * #redactedUrl()}, so the value can be logged.
 *
 * @param url the JDBC URL (may carry {@code user=} and {@code password=} parameters, which the
 *     driver reads)
 * @param user the user, when not in the URL
 * @param password the password, when not in the URL (from {@code RAFTWATCH_DB_PASSWORD})
 * @param dialect which SQL the server speaks
 */
public record Database(String url, Optional<String> user, Optional<String> password, Dialect dialect) {
  /** The environment variable {@code raftwatch run} reads the database password from. */
  public static final String PASSWORD_ENV = "RAFTWATCH_DB_PASSWORD";

  private static final String H2_BIND_ADDRESS = "h2.bindAddress";
  private static final Pattern PASSWORD_PARAM =
      Pattern.compile("(?i)(password=)[^&;]*");

  /** The SQL dialects the history knows. */
  public enum Dialect {
    H2,
    POSTGRESQL
  }

  /**
   * The embedded H2 database {@code <dataDir>/history.mv.db}. AUTO_SERVER lets a second process
   * ({@code raftwatch report}) open it while {@code raftwatch run} holds it: the first opener
   * serves it to the others over a loopback TCP port it writes into the lock file (with a random
   * key that a client must present).
   */
  public static Database h2(Path dataDir) {
    // NB: H2's auto-server listens on every interface unless told otherwise (a connection needs
    // the random key in the lock file, but nothing outside this host has a reason to try). H2
    // reads the property once, when its first class loads, which is after this.
    if (System.getProperty(H2_BIND_ADDRESS) == null) {
      System.setProperty(H2_BIND_ADDRESS, "127.0.0.1");
    }
    return new Database("jdbc:h2:file:" + dataDir.toAbsolutePath().resolve("history")
        + ";AUTO_SERVER=TRUE", Optional.empty(), Optional.empty(), Dialect.H2);
  }

  /**
   * A database given by a JDBC URL ({@code --db-url}).
   *
   * @param password used unless the URL carries one
   * @throws IllegalArgumentException naming the URL's scheme when it is neither PostgreSQL nor H2
   */
  public static Database of(String url, Optional<String> user, Optional<String> password) {
    Dialect dialect;
    if (url.startsWith("jdbc:postgresql:")) {
      dialect = Dialect.POSTGRESQL;
    } else if (url.startsWith("jdbc:h2:")) {
      dialect = Dialect.H2;
    } else {
      int colon = url.indexOf(':', "jdbc:".length());
      throw new IllegalArgumentException("unsupported database URL '"
          + (colon > 0 ? url.substring(0, colon + 1) : "") + "...': expected jdbc:postgresql://HOST:PORT/DB "
          + "(or jdbc:h2:...)");
    }
    return new Database(url, user, password, dialect);
  }

  /** The URL with any {@code password=} value replaced by {@code ***}. */
  public String redactedUrl() {
    return PASSWORD_PARAM.matcher(url).replaceAll("$1***");
  }

  /** A pool of at most {@code size} connections; the caller closes it. */
  public HikariDataSource pool(String name, int size) {
    HikariConfig c = new HikariConfig();
    c.setPoolName(name);
    c.setJdbcUrl(url);
    user.ifPresent(c::setUsername);
    password.ifPresent(c::setPassword);
    c.setMaximumPoolSize(size);
    c.setMinimumIdle(1);
    c.setConnectionTimeout(10_000);
    // One attempt at start: a wrong password or an unreachable server is reported at once, with
    // the server's reason, rather than retried for Hikari's default 30 s.
    c.setInitializationFailTimeout(1);
    return new HikariDataSource(c);
  }

  @Override
  public String toString() {
    return redactedUrl() + user.map(u -> " as " + u).orElse("");
  }
}
