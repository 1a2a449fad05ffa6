package io.raftwatch.collector.jobs;

import java.time.Instant;

/**
 * What the daily report job does: render and keep each cluster's report for the day. Filled in by
 * the {@code report} package and handed to {@link Collector} through {@link CollectorOptions}.
 * Called on a Quartz worker thread, once per fire (on one collector of several), never
 * concurrently with itself. An exception fails that run (counted, logged), not the next.
 */
@FunctionalInterface
public interface ReportTask {
  /** Does nothing: the collector was started without reports. */
  ReportTask NONE = (collector, fireTime) -> {};

  /**
   * @param collector the running collector: its clusters, engine, history
   * @param fireTime the scheduled time of this fire; the report covers the day before it
   */
  void run(Collector collector, Instant fireTime) throws Exception;
}
