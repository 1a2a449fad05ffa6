package io.raftwatch.collector.jobs;

import java.time.Instant;
import org.quartz.DisallowConcurrentExecution;
import org.quartz.Job;
import org.quartz.JobExecutionContext;
import org.quartz.JobExecutionException;
import org.quartz.Scheduler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Quartz job class of every collector job: runs its {@link ScheduledTask} and counts the run.
 * {@link DisallowConcurrentExecution} makes Quartz hold a fire back while the previous run of the
 * same job is still going, on this collector or (clustered) any other; a fire held back past the
 * misfire threshold is skipped and counted by {@link CollectorScheduler}. Made per fire by
 * {@link CollectorScheduler}'s job factory; runs on a Quartz worker thread.
 */
@DisallowConcurrentExecution
public final class CollectorJob implements Job {
  private static final Logger log = LoggerFactory.getLogger(CollectorJob.class);

  private final String job;
  private final String cluster;
  private final ScheduledTask task;
  private final CollectorMetrics metrics;
  private final RunningJobs running;

  CollectorJob(String job, String cluster, ScheduledTask task, CollectorMetrics metrics,
      RunningJobs running) {
    this.job = job;
    this.cluster = cluster;
    this.task = task;
    this.metrics = metrics;
    this.running = running;
  }

  /**
   * The fire time this run stands for: the trigger's, or, when this collector recovers a fire that
   * was running on a dead one, that fire's original time (so its check result keeps its key).
   */
  static Instant scheduledFireTime(JobExecutionContext context) {
    String original = context.getMergedJobDataMap()
        .getString(Scheduler.FAILED_JOB_ORIGINAL_TRIGGER_SCHEDULED_FIRETIME_IN_MILLISECONDS);
    if (context.isRecovering() && original != null) {
      return Instant.ofEpochMilli(Long.parseLong(original));
    }
    return context.getScheduledFireTime().toInstant();
  }

  @Override
  public void execute(JobExecutionContext context) throws JobExecutionException {
    long start = System.nanoTime();
    boolean success = false;
    running.started();
    try {
      task.run(scheduledFireTime(context));
      success = true;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      log.warn("{} {}: interrupted (shutting down)", job, cluster);
    } catch (Exception e) {
      // A failed run is counted and logged; the next fire runs as usual.
      log.error("{} {}: run failed: {}", job, cluster.isEmpty() ? "" : "of cluster " + cluster,
          e.toString(), e);
    } finally {
      metrics.run(job, cluster, success, (System.nanoTime() - start) / 1e9,
          System.currentTimeMillis() / 1e3);
      running.finished();
    }
  }
}
