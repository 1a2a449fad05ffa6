package io.raftwatch.collector.jobs;

import java.time.Instant;

/**
 * The work of one scheduled job, run by {@link CollectorJob} on a Quartz worker thread, never
 * concurrently with itself. Throwing fails that run only.
 */
@FunctionalInterface
interface ScheduledTask {
  /** @param fireTime the time this run was scheduled for */
  void run(Instant fireTime) throws Exception;
}
