package io.raftwatch.collector.tsdb;

/**
 * Constants and tests for sample values: the staleness marker Prometheus writes when a series
 * disappears.
 */
public final class Samples {
  /**
   * Prometheus's StaleNaN: a NaN with the bit pattern {@code 0x7ff0000000000002}, appended by the
   * scraper when a series or target vanishes. NB: {@code Double.isNaN} is true for it too, and Java
   * arithmetic may turn it into the canonical NaN; compare with {@link #isStale}, which looks at
   * the bits.
   */
  public static final double STALE_NAN = Double.longBitsToDouble(0x7ff0000000000002L);

  private static final long STALE_NAN_BITS = 0x7ff0000000000002L;

  private Samples() {}

  /** Whether {@code value} is the staleness marker (and not just any NaN). */
  public static boolean isStale(double value) {
    return Double.doubleToRawLongBits(value) == STALE_NAN_BITS;
  }
}
