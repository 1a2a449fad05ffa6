package io.raftwatch.collector.jobs;

import io.prometheus.client.CollectorRegistry;
import io.raftwatch.collector.config.ClusterConfig;
import io.raftwatch.collector.config.PrometheusDuration;
import io.raftwatch.collector.config.RaftwatchConfig;
import io.raftwatch.collector.health.CheckSummary;
import io.raftwatch.collector.health.ClusterCheck;
import io.raftwatch.collector.health.ClusterState;
import io.raftwatch.collector.history.AlertEvent;
import io.raftwatch.collector.history.AlertEventListener;
import io.raftwatch.collector.history.CheckResult;
import io.raftwatch.collector.history.Database;
import io.raftwatch.collector.history.HistoryStore;
import io.raftwatch.collector.jobs.CollectorScheduler.Schedule;
import io.raftwatch.collector.promql.Engine;
import io.raftwatch.collector.rules.RuleFileException;
import io.raftwatch.collector.rules.RuleFileLoader;
import io.raftwatch.collector.rules.ShippedRules;
import io.raftwatch.collector.scrape.ScrapeMetrics;
import io.raftwatch.collector.scrape.TlsMaterialException;
import io.raftwatch.collector.tsdb.SeriesStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import org.quartz.SchedulerException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The running collector of {@code raftwatch run} (and of the demo): one series store shared by
 * every cluster, a PromQL engine over it, one {@link ClusterWatch} per cluster, the history, the
 * Quartz scheduler that fires each cluster's health check, the daily report and the retention job,
 * and the collector's own metrics.
 *
 * <p>Life cycle: {@link #create} (loads rules and TLS files, opens and migrates the history),
 * {@link #addListener} any number of times, {@link #start}, and {@link #close} once, all from the
 * owner's thread. The accessors may be called from any thread at any time.
 */
public final class Collector implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Collector.class);
  /** Job names, as in the {@code job} label of the collector's metrics. */
  public static final String HEALTH_CHECK_JOB = "health-check";
  public static final String REPORT_JOB = "report";
  public static final String RETENTION_JOB = "retention";

  private final RaftwatchConfig config;
  private final CollectorOptions options;
  private final CollectorRegistry registry;
  private final CollectorMetrics metrics;
  private final SeriesStore store;
  private final Engine engine;
  private final HistoryStore history;
  private final List<ClusterWatch> clusters = new ArrayList<>();
  private final List<AlertEventListener> listeners = new CopyOnWriteArrayList<>();
  private final CollectorScheduler scheduler;
  // When the series store was last truncated to its retention, in epoch millis.
  private final AtomicLong lastSeriesRetention = new AtomicLong();
  // The fire time of the latest check each cluster ran on this collector.
  private final Map<String, Instant> lastOwnCheck = new ConcurrentHashMap<>();
  private boolean started;

  private Collector(RaftwatchConfig config, CollectorOptions options, CollectorRegistry registry,
      HistoryStore history) throws SchedulerException {
    this.config = config;
    this.options = options;
    this.registry = registry;
    this.metrics = new CollectorMetrics(registry);
    this.store = new SeriesStore(options.maxSeriesPerCluster());
    this.engine = new Engine(store);
    this.history = history;
    // One worker per cluster's health check, the report and retention jobs, and two per cluster
    // with maintenance chores (defragment, compact; see addCronJob).
    int maintenance = (int) config.clusters().stream().filter(c -> c.maintenance().enabled()).count();
    this.scheduler = new CollectorScheduler(options, config.clusters().size() + 2 + 2 * maintenance,
        metrics);
  }

  /**
   * Builds the collector for {@code config}: opens (and migrates) the history, loads each
   * cluster's rules (its {@code ruleFiles}, or the shipped ones) and TLS files, restores the alerts
   * the history has open, and prepares the jobs. Nothing is scraped before {@link #start}.
   *
   * @throws RuleFileException when a rule file is missing or wrong (names file and line)
   * @throws TlsMaterialException when a cluster's TLS files are missing or unusable
   * @throws io.raftwatch.collector.history.HistoryException when the history cannot be opened
   * @throws CollectorException when the data directory or the scheduler cannot be set up
   * @throws IllegalArgumentException when a check cron names a cluster the config lacks
   */
  public static Collector create(RaftwatchConfig config, CollectorOptions options)
      throws RuleFileException, TlsMaterialException {
    for (String cluster : options.checkCron().keySet()) {
      if (config.cluster(cluster).isEmpty()) {
        throw new IllegalArgumentException("a check cron is given for cluster '" + cluster
            + "', which " + config.source() + " does not describe (it has "
            + String.join(", ", config.clusters().stream().map(ClusterConfig::name).toList()) + ")");
      }
    }
    Database database;
    if (options.dbUrl().isPresent()) {
      database = Database.of(options.dbUrl().get(), options.dbUser(), options.dbPassword());
    } else {
      try {
        Files.createDirectories(options.dataDir());
      } catch (IOException e) {
        throw new CollectorException("cannot create the data directory " + options.dataDir() + ": "
            + e.getMessage(), e);
      }
      database = Database.h2(options.dataDir());
    }
    HistoryStore history = HistoryStore.open(database, options.clock());
    Collector c = null;
    try {
      c = new Collector(config, options, new CollectorRegistry(), history);
      c.listeners.add(history);
      ScrapeMetrics scrapeMetrics = new ScrapeMetrics(c.registry);
      for (ClusterConfig cluster : config.clusters()) {
        RuleFileLoader loader = new RuleFileLoader(cluster.scrapeInterval(), Map.of(), "");
        c.clusters.add(new ClusterWatch(cluster, ShippedRules.forCluster(cluster, loader), c.store,
            c.engine, options.clock(), scrapeMetrics, c::publish, history.openAlerts(cluster.name())));
      }
      c.schedule();
      return c;
    } catch (SchedulerException e) {
      history.close();
      throw new CollectorException("cannot set up the scheduler: " + e.getMessage(), e);
    } catch (RuleFileException | TlsMaterialException | RuntimeException e) {
      if (c != null) {
        c.close();
      } else {
        history.close();
      }
      throw e;
    }
  }

  private void schedule() {
    for (ClusterWatch w : clusters) {
      String cron = checkCron(w);
      Schedule s = cron != null ? Schedule.cron(cron) : Schedule.every(w.config().scrapeInterval());
      scheduler.add(HEALTH_CHECK_JOB, w.name(), s, fireTime -> healthCheck(w, fireTime));
    }
    scheduler.add(REPORT_JOB, "", Schedule.cron(options.reportCron()),
        fireTime -> options.reportTask().run(this, fireTime));
    scheduler.add(RETENTION_JOB, "", Schedule.every(options.retentionInterval()), this::retention);
  }

  /** The cluster's check cron: --check-cron's, else its config's, else none (every interval). */
  private String checkCron(ClusterWatch w) {
    return options.checkCron().getOrDefault(w.name(), w.config().checkCron().orElse(null));
  }

  /** Starts firing the jobs; logs one line per cluster. */
  public synchronized void start() {
    if (started) {
      throw new IllegalStateException("the collector is already started");
    }
    started = true;
    try {
      scheduler.start();
    } catch (SchedulerException e) {
      throw new CollectorException("cannot start the scheduler: " + e.getMessage(), e);
    }
    describeClusters().forEach(log::info);
  }

  /**
   * One structured line per cluster, for the start-up log: {@code cluster=prod members=3
   * ruleGroups=2 schedule="every 15s" history=... instance=local}.
   */
  public List<String> describeClusters() {
    List<String> lines = new ArrayList<>();
    for (ClusterWatch w : clusters) {
      String cron = checkCron(w);
      lines.add("cluster=" + w.name() + " members=" + w.config().members().size() + " ruleGroups="
          + w.ruleGroups().size() + " schedule=\""
          + (cron != null ? "cron " + cron : "every " + PrometheusDuration.format(w.config().scrapeInterval()))
          + "\" history=" + history.database() + " instance=" + scheduler.instanceId());
    }
    return lines;
  }

  /** The scheduled health check of one cluster: scrape, evaluate, record the result. */
  private void healthCheck(ClusterWatch w, Instant fireTime) {
    if (options.clustered()) {
      adoptIfOthersRan(w);
    }
    ClusterState state = w.runOnce(fireTime);
    lastOwnCheck.put(w.name(), fireTime);
    metrics.alerts(state);
    ClusterCheck check = ClusterCheck.of(state);
    metrics.checkStatus(w.name(), check.status().exitCode());
    boolean stored = history.recordCheck(new CheckResult(w.name(), fireTime,
        state.evaluatedAt().orElse(fireTime), check.status(), CheckSummary.headline(check),
        scheduler.instanceId()));
    if (!stored) {
      log.warn("cluster {}: the check fired at {} was already recorded (by another collector?)",
          w.name(), fireTime);
    }
    long now = options.clock().millis();
    long last = lastSeriesRetention.get();
    // The series store is this process's own: truncate it here, at most once a minute, rather
    // than in the retention job, which runs on only one collector of several.
    if (now - last >= 60_000 && lastSeriesRetention.compareAndSet(last, now)) {
      store.applyRetention(now);
    }
  }

  /**
   * Clustered collectors share the fires of one cluster's check, so this one's rule state is stale
   * when the latest check ran elsewhere: it then adopts the alert state the history holds.
   */
  private void adoptIfOthersRan(ClusterWatch w) {
    Optional<CheckResult> last = history.lastCheck(w.name());
    Instant own = lastOwnCheck.get(w.name());
    if (last.isPresent() && !last.get().instance().equals(scheduler.instanceId())
        && (own == null || last.get().fireTime().isAfter(own))) {
      w.adopt(history.openAlerts(w.name()));
    }
  }

  private void retention(Instant fireTime) {
    Instant cutoff = options.clock().instant().minus(options.historyRetention());
    int deleted = history.deleteBefore(cutoff);
    if (deleted > 0) {
      log.info("history retention: deleted {} rows older than {}", deleted, cutoff);
    }
  }

  /** Hands one evaluation's transitions to every listener; a failing listener is only counted. */
  private void publish(List<AlertEvent> events) {
    metrics.events(events);
    for (AlertEventListener l : listeners) {
      try {
        l.onEvents(events);
      } catch (RuntimeException e) {
        metrics.listenerFailed(l.getClass().getSimpleName());
        log.error("alert event listener {} failed on {} event(s) of cluster {}: {}",
            l.getClass().getName(), events.size(), events.get(0).cluster(), e.toString(), e);
      }
    }
  }

  /**
   * Adds a job of {@code cluster} fired on {@code cron} (Quartz syntax, UTC), such as a maintenance
   * chore of the {@code maintenance} package. Call before {@link #start}. As for every job, a fire
   * never overlaps the previous one, and with {@code --db-url} each fire runs on one collector.
   *
   * @param task gets the scheduled fire time; an exception fails that run only
   * @throws IllegalArgumentException when {@code cron} is not a Quartz cron expression (the
   *     message quotes it and says why)
   */
  public synchronized void addCronJob(String job, String cluster, String cron,
      java.util.function.Consumer<Instant> task) {
    if (started) {
      throw new IllegalStateException("add jobs before start()");
    }
    try {
      org.quartz.CronExpression.validateExpression(cron);
    } catch (java.text.ParseException e) {
      throw new IllegalArgumentException("cluster " + cluster + ": " + job + ": '" + cron
          + "' is not a Quartz cron expression: " + e.getMessage());
    }
    scheduler.add(job, cluster, Schedule.cron(cron), task::accept);
  }

  /** Adds a listener for alert transitions (after the history, which is always first). */
  public void addListener(AlertEventListener listener) {
    listeners.add(listener);
  }

  public RaftwatchConfig config() {
    return config;
  }

  public CollectorOptions options() {
    return options;
  }

  /** Every watched cluster, in config order. */
  public List<ClusterWatch> clusters() {
    return List.copyOf(clusters);
  }

  /** The watched cluster named {@code name}. */
  public Optional<ClusterWatch> cluster(String name) {
    return clusters.stream().filter(c -> c.name().equals(name)).findFirst();
  }

  public SeriesStore store() {
    return store;
  }

  public Engine engine() {
    return engine;
  }

  public HistoryStore history() {
    return history;
  }

  /** The registry holding every {@code raftwatch_collector_*} metric, for {@code /metrics}. */
  public CollectorRegistry registry() {
    return registry;
  }

  public CollectorMetrics metrics() {
    return metrics;
  }

  /** This collector's scheduler instance id ("local" unless clustered); recorded with its checks. */
  public String instanceId() {
    return scheduler.instanceId();
  }

  /**
   * Stops the scheduler (waiting for running jobs up to the shutdown timeout), the scrapers and
   * the history, in that order.
   */
  @Override
  public synchronized void close() {
    scheduler.close();
    for (ClusterWatch w : clusters) {
      w.close();
    }
    history.close();
  }
}
