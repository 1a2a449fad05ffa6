package io.raftwatch.collector.jobs;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TimeZone;
import org.quartz.CronScheduleBuilder;
import org.quartz.CronTrigger;
import org.quartz.JobBuilder;
import org.quartz.JobDetail;
import org.quartz.JobKey;
import org.quartz.ScheduleBuilder;
import org.quartz.Scheduler;
import org.quartz.SchedulerException;
import org.quartz.SimpleScheduleBuilder;
import org.quartz.SimpleTrigger;
import org.quartz.Trigger;
import org.quartz.TriggerBuilder;
import org.quartz.TriggerKey;
import org.quartz.impl.StdSchedulerFactory;
import org.quartz.listeners.TriggerListenerSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The collector's Quartz scheduler: in memory for a lone collector, or on the shared PostgreSQL
 * database in clustered mode ({@code JobStoreTX}, {@code isClustered}), where each fire is taken by
 * exactly one collector and a dead collector's fires are taken over by the others after the
 * check-in interval. Quartz stays in this package.
 *
 * <p>Every trigger skips late fires instead of queueing them: a simple (interval) trigger with
 * "next with remaining count", a cron trigger with "do nothing". A skipped fire is counted in
 * {@code raftwatch_collector_job_misfires_total}. Used by {@link Collector} on its owner's thread;
 * jobs run on Quartz's worker threads.
 */
final class CollectorScheduler implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(CollectorScheduler.class);
  private static final String DATA_SOURCE = "raftwatch";

  /** When a job fires: every {@code interval} (aligned to multiples of it), or on a cron. */
  record Schedule(Optional<Duration> interval, Optional<String> cron) {
    static Schedule every(Duration d) {
      return new Schedule(Optional.of(d), Optional.empty());
    }

    static Schedule cron(String expression) {
      return new Schedule(Optional.empty(), Optional.of(expression));
    }

    @Override
    public String toString() {
      return interval.map(d -> "every " + d.toString().substring(2).toLowerCase())
          .orElseGet(() -> "cron \"" + cron.orElseThrow() + "\"");
    }
  }

  private record Entry(String job, String cluster, Schedule schedule, ScheduledTask task) {}

  private final CollectorOptions options;
  private final CollectorMetrics metrics;
  private final RunningJobs running = new RunningJobs();
  private final Map<JobKey, Entry> entries = new HashMap<>();
  private final Scheduler scheduler;
  private final String instanceId;

  /**
   * @param threads worker threads: at least one per job that may run at the same time
   * @throws SchedulerException when Quartz cannot be set up (bad database settings)
   */
  CollectorScheduler(CollectorOptions options, int threads, CollectorMetrics metrics)
      throws SchedulerException {
    this.options = options;
    this.metrics = metrics;
    StdSchedulerFactory factory = new StdSchedulerFactory(properties(options, threads));
    this.scheduler = factory.getScheduler();
    this.instanceId = scheduler.getSchedulerInstanceId();
    scheduler.setJobFactory((bundle, s) -> {
      JobKey key = bundle.getJobDetail().getKey();
      Entry e = entries.get(key);
      if (e == null) {
        // A job stored by a collector with another config, in the shared job store.
        throw new SchedulerException("job " + key + " is not in this collector's config");
      }
      return new CollectorJob(e.job(), e.cluster(), e.task(), metrics, running);
    });
    scheduler.getListenerManager().addTriggerListener(new TriggerListenerSupport() {
      @Override
      public String getName() {
        return "raftwatch-misfires";
      }

      @Override
      public void triggerMisfired(Trigger trigger) {
        Entry e = entries.get(trigger.getJobKey());
        String job = e == null ? trigger.getJobKey().getName() : e.job();
        String cluster = e == null ? trigger.getJobKey().getGroup() : e.cluster();
        metrics.misfire(job, cluster);
        log.warn("{} {}: the fire due at {} could not start on time and is skipped", job,
            cluster.isEmpty() ? "" : "of cluster " + cluster, trigger.getNextFireTime().toInstant());
      }
    });
  }

  private static Properties properties(CollectorOptions o, int threads) {
    Properties p = new Properties();
    p.setProperty("org.quartz.scheduler.instanceName", o.schedulerName());
    p.setProperty("org.quartz.scheduler.skipUpdateCheck", "true");
    p.setProperty("org.quartz.threadPool.class", "org.quartz.simpl.SimpleThreadPool");
    p.setProperty("org.quartz.threadPool.threadCount", Integer.toString(threads));
    p.setProperty("org.quartz.threadPool.threadNamePrefix", "raftwatch-job");
    p.setProperty("org.quartz.jobStore.misfireThreshold", Long.toString(o.misfireThreshold().toMillis()));
    if (o.clustered()) {
      p.setProperty("org.quartz.scheduler.instanceId", "AUTO");
      p.setProperty("org.quartz.jobStore.class", "org.quartz.impl.jdbcjobstore.JobStoreTX");
      p.setProperty("org.quartz.jobStore.driverDelegateClass",
          "org.quartz.impl.jdbcjobstore.PostgreSQLDelegate");
      p.setProperty("org.quartz.jobStore.dataSource", DATA_SOURCE);
      p.setProperty("org.quartz.jobStore.isClustered", "true");
      p.setProperty("org.quartz.jobStore.clusterCheckinInterval",
          Long.toString(o.clusterCheckinInterval().toMillis()));
      p.setProperty("org.quartz.jobStore.acquireTriggersWithinLock", "true");
      String ds = "org.quartz.dataSource." + DATA_SOURCE + ".";
      p.setProperty(ds + "provider", "hikaricp");
      p.setProperty(ds + "driver", "org.postgresql.Driver");
      p.setProperty(ds + "URL", o.dbUrl().orElseThrow());
      o.dbUser().ifPresent(u -> p.setProperty(ds + "user", u));
      o.dbPassword().ifPresent(pw -> p.setProperty(ds + "password", pw));
      p.setProperty(ds + "maxConnections", Integer.toString(threads + 3));
    } else {
      // One collector per process and scheduler name: make it unique in the JVM (tests start
      // several), since Quartz hands out an existing scheduler of the same name.
      p.setProperty("org.quartz.scheduler.instanceName",
          o.schedulerName() + "-" + Integer.toHexString(System.identityHashCode(o)));
      p.setProperty("org.quartz.scheduler.instanceId", "local");
      p.setProperty("org.quartz.jobStore.class", "org.quartz.simpl.RAMJobStore");
    }
    return p;
  }

  /** Adds a job; call before {@link #start}. {@code cluster} is "" for collector-wide jobs. */
  void add(String job, String cluster, Schedule schedule, ScheduledTask task) {
    entries.put(jobKey(job, cluster), new Entry(job, cluster, schedule, task));
  }

  private static JobKey jobKey(String job, String cluster) {
    return JobKey.jobKey(job, cluster.isEmpty() ? "raftwatch" : "cluster:" + cluster);
  }

  /**
   * Stores the jobs and their triggers (keeping a shared store's triggers when their schedule is
   * unchanged, so a collector joining the cluster does not move the others' fire times) and
   * starts firing.
   */
  void start() throws SchedulerException {
    for (Map.Entry<JobKey, Entry> me : entries.entrySet()) {
      JobKey key = me.getKey();
      Entry e = me.getValue();
      JobDetail detail = JobBuilder.newJob(CollectorJob.class).withIdentity(key)
          .withDescription(e.job() + (e.cluster().isEmpty() ? "" : " of cluster " + e.cluster()))
          // A fire that was running on a collector that died is run again by another one, with
          // its original fire time (the check result's key, so it is still recorded once).
          .requestRecovery(true)
          .storeDurably().build();
      TriggerKey tk = TriggerKey.triggerKey(key.getName(), key.getGroup());
      Trigger existing = scheduler.getTrigger(tk);
      if (existing != null && sameSchedule(existing, e.schedule())) {
        continue;
      }
      Trigger trigger = TriggerBuilder.newTrigger().withIdentity(tk).forJob(key)
          .startAt(Date.from(firstFire(e.schedule())))
          .withSchedule(schedule(e.schedule())).build();
      scheduler.scheduleJob(detail, Set.of(trigger), true);
    }
    scheduler.start();
  }

  private static boolean sameSchedule(Trigger t, Schedule s) {
    if (t instanceof SimpleTrigger st && s.interval().isPresent()) {
      return st.getRepeatInterval() == s.interval().get().toMillis();
    }
    if (t instanceof CronTrigger ct && s.cron().isPresent()) {
      return ct.getCronExpression().equals(s.cron().get());
    }
    return false;
  }

  /** The next multiple of the interval after now, so every collector computes the same fires. */
  private Instant firstFire(Schedule s) {
    if (s.interval().isEmpty()) {
      return Instant.now();
    }
    long step = s.interval().get().toMillis();
    long now = System.currentTimeMillis();
    return Instant.ofEpochMilli((now / step + 1) * step);
  }

  private static ScheduleBuilder<? extends Trigger> schedule(Schedule s) {
    if (s.interval().isPresent()) {
      return SimpleScheduleBuilder.simpleSchedule()
          .withIntervalInMilliseconds(s.interval().get().toMillis()).repeatForever()
          .withMisfireHandlingInstructionNextWithRemainingCount();
    }
    return CronScheduleBuilder.cronSchedule(s.cron().orElseThrow())
        .inTimeZone(TimeZone.getTimeZone("UTC"))
        .withMisfireHandlingInstructionDoNothing();
  }

  /** This collector's scheduler instance id: "local", or the AUTO id in clustered mode. */
  String instanceId() {
    return instanceId;
  }

  /** The schedule of each job, by job and cluster, for the start-up log line. */
  List<String> describe() {
    List<String> out = new ArrayList<>();
    entries.values().forEach(e -> out.add(e.job() + (e.cluster().isEmpty() ? "" : "[" + e.cluster() + "]")
        + " " + e.schedule()));
    return out;
  }

  /** Jobs running right now on this collector. */
  int running() {
    return running.running();
  }

  /**
   * Stops firing, waits up to the shutdown timeout for running jobs, then shuts Quartz down. In
   * clustered mode, the jobs stay in the shared store for the other collectors.
   */
  @Override
  public void close() {
    try {
      scheduler.standby();
      int left = running.awaitIdle(options.shutdownTimeout());
      if (left > 0) {
        log.warn("{} job(s) still running after {}; shutting down without them", left,
            options.shutdownTimeout());
      }
      scheduler.shutdown(left == 0);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      shutdownQuietly();
    } catch (SchedulerException e) {
      log.warn("scheduler shutdown: {}", e.getMessage());
      shutdownQuietly();
    }
  }

  private void shutdownQuietly() {
    try {
      scheduler.shutdown(false);
    } catch (SchedulerException e) {
      log.warn("scheduler shutdown: {}", e.getMessage());
    }
  }
}
