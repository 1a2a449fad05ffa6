package io.raftwatch.collector.jobs;

import java.nio.file.Path;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import org.quartz.CronExpression;

/**
 * How a {@link Collector} runs, beyond the cluster description: where it keeps its data, which
 * database, its schedules and limits. Immutable; start from {@link #defaults} and change with the
 * {@code with...} methods. Built by the composition root ({@code raftwatch run}, the demo, tests).
 *
 * @param dataDir where the embedded history lives ({@code <dataDir>/history.mv.db})
 * @param dbUrl a JDBC URL to keep the history in instead (PostgreSQL); with it the scheduler runs
 *     clustered on the same database, so several collectors share the work
 * @param dbUser the database user, unless the URL names it
 * @param dbPassword the database password, unless the URL carries it (never logged)
 * @param clock time for scrapes, evaluations and history; the scheduler itself uses the system
 *     clock (Quartz cannot be given one)
 * @param checkCron per cluster name, a Quartz cron expression for its health check instead of
 *     every scrape interval
 * @param reportCron when the daily report job fires (Quartz cron, in UTC)
 * @param reportTask what the report job does
 * @param historyRetention history rows older than this are deleted by the retention job
 * @param retentionInterval how often the retention job runs
 * @param misfireThreshold how late a fire may start and still run; later ones are skipped and
 *     counted as misfires
 * @param clusterCheckinInterval how often clustered collectors tell each other they are alive; a
 *     collector silent for longer is taken as dead and its work taken over
 * @param shutdownTimeout how long {@link Collector#close} waits for running jobs
 * @param maxSeriesPerCluster the series store's limit for one cluster
 * @param schedulerName the Quartz scheduler name, the same for every collector of a cluster
 */
public record CollectorOptions(Path dataDir, Optional<String> dbUrl, Optional<String> dbUser,
    Optional<String> dbPassword, Clock clock, Map<String, String> checkCron, String reportCron,
    ReportTask reportTask, Duration historyRetention, Duration retentionInterval,
    Duration misfireThreshold, Duration clusterCheckinInterval, Duration shutdownTimeout,
    int maxSeriesPerCluster, String schedulerName) {

  /** Every day at 06:00 UTC. */
  public static final String DEFAULT_REPORT_CRON = "0 0 6 * * ?";

  /**
   * @throws IllegalArgumentException naming the field when a cron expression is not one Quartz
   *     accepts
   */
  public CollectorOptions {
    checkCron = Map.copyOf(checkCron);
    checkCron.forEach((cluster, cron) -> requireCron("the check cron of cluster " + cluster, cron));
    requireCron("the report cron", reportCron);
  }

  private static void requireCron(String what, String cron) {
    try {
      CronExpression.validateExpression(cron);
    } catch (ParseException e) {
      throw new IllegalArgumentException(what + " '" + cron + "' is not a Quartz cron expression "
          + "(seconds minutes hours day-of-month month day-of-week [year]): " + e.getMessage());
    }
  }

  /** Defaults: H2 under {@code dataDir}, system clock, 30 days of history, reports at 06:00 UTC. */
  public static CollectorOptions defaults(Path dataDir) {
    return new CollectorOptions(dataDir, Optional.empty(), Optional.empty(), Optional.empty(),
        Clock.systemUTC(), Map.of(), DEFAULT_REPORT_CRON, ReportTask.NONE, Duration.ofDays(30),
        Duration.ofMinutes(10), Duration.ofSeconds(5), Duration.ofMillis(7500),
        Duration.ofSeconds(30), 1_000_000, "raftwatch");
  }

  public CollectorOptions withDatabase(String url, Optional<String> user, Optional<String> password) {
    return with(o -> {
      o.dbUrl = Optional.of(url);
      o.dbUser = user;
      o.dbPassword = password;
    });
  }

  public CollectorOptions withClock(Clock c) {
    return with(o -> o.clock = c);
  }

  public CollectorOptions withCheckCron(Map<String, String> cron) {
    return with(o -> o.checkCron = cron);
  }

  public CollectorOptions withReport(String cron, ReportTask task) {
    return with(o -> {
      o.reportCron = cron;
      o.reportTask = task;
    });
  }

  public CollectorOptions withRetention(Duration history, Duration interval) {
    return with(o -> {
      o.historyRetention = history;
      o.retentionInterval = interval;
    });
  }

  public CollectorOptions withMisfireThreshold(Duration d) {
    return with(o -> o.misfireThreshold = d);
  }

  public CollectorOptions withClusterCheckinInterval(Duration d) {
    return with(o -> o.clusterCheckinInterval = d);
  }

  public CollectorOptions withShutdownTimeout(Duration d) {
    return with(o -> o.shutdownTimeout = d);
  }

  public CollectorOptions withSchedulerName(String name) {
    return with(o -> o.schedulerName = name);
  }

  /** Whether the collector runs clustered with others on a shared database. */
  public boolean clustered() {
    return dbUrl.isPresent() && dbUrl.get().startsWith("jdbc:postgresql:");
  }

  /** A copy with {@code change} applied to its fields (validated again by the constructor). */
  private CollectorOptions with(Consumer<Fields> change) {
    Fields f = new Fields(this);
    change.accept(f);
    return f.build();
  }

  /** The options' fields, changeable, for {@link #with}. */
  private static final class Fields {
    Path dataDir;
    Optional<String> dbUrl;
    Optional<String> dbUser;
    Optional<String> dbPassword;
    Clock clock;
    Map<String, String> checkCron;
    String reportCron;
    ReportTask reportTask;
    Duration historyRetention;
    Duration retentionInterval;
    Duration misfireThreshold;
    Duration clusterCheckinInterval;
    Duration shutdownTimeout;
    int maxSeriesPerCluster;
    String schedulerName;

    Fields(CollectorOptions o) {
      dataDir = o.dataDir;
      dbUrl = o.dbUrl;
      dbUser = o.dbUser;
      dbPassword = o.dbPassword;
      clock = o.clock;
      checkCron = o.checkCron;
      reportCron = o.reportCron;
      reportTask = o.reportTask;
      historyRetention = o.historyRetention;
      retentionInterval = o.retentionInterval;
      misfireThreshold = o.misfireThreshold;
      clusterCheckinInterval = o.clusterCheckinInterval;
      shutdownTimeout = o.shutdownTimeout;
      maxSeriesPerCluster = o.maxSeriesPerCluster;
      schedulerName = o.schedulerName;
    }

    CollectorOptions build() {
      return new CollectorOptions(dataDir, dbUrl, dbUser, dbPassword, clock,
          checkCron, reportCron, reportTask, historyRetention, retentionInterval,
          misfireThreshold, clusterCheckinInterval, shutdownTimeout, maxSeriesPerCluster, schedulerName);
    }
  }
}
