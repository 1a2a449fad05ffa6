package io.raftwatch.collector.tsdb;

/**
 * One series as seen by a {@link SeriesReader#select} call: its labels and its samples within the
 * selected time range.
 *
 * <p>The view is a snapshot taken during {@code select}: later appends are not visible, and
 * retention running meanwhile does not take samples away from it. Each {@link #samples()} call
 * starts a fresh iterator, so a view may be read several times (for instance once per PromQL step).
 */
public interface SeriesView {
  /** The series' labels, metric name included as {@code __name__}. */
  Labels labels();

  /**
   * The samples with {@code minTime <= timestamp <= maxTime} of the select, oldest first, staleness
   * markers ({@link Samples#STALE_NAN}) included as they were stored.
   */
  SampleIterator samples();
}
