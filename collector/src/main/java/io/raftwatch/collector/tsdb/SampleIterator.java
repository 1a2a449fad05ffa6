package io.raftwatch.collector.tsdb;

/**
 * A cursor over one series' samples in increasing timestamp order, without boxing.
 *
 * <p>Usage: {@code while (it.next()) { use(it.timestamp(), it.value()); }}. Owned by one thread
 * (the one that asked for it); it reads a snapshot, so appends that happen meanwhile are not seen
 * and do not disturb it.
 */
public interface SampleIterator {
  /** Moves to the next sample; false when there is none (then the accessors are undefined). */
  boolean next();

  /** The current sample's time in milliseconds since the epoch. */
  long timestamp();

  /**
   * The current sample's value; may be {@link Samples#STALE_NAN} (test with {@link
   * Samples#isStale}), another NaN, or an infinity.
   */
  double value();
}
