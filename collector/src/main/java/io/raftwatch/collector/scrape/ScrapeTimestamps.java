package io.raftwatch.collector.scrape;

import java.time.Duration;
import java.time.Instant;

/**
 * The timestamp one target's scrapes give their samples: the scrape's scheduled time when the
 * scrape started at most a small tolerance after it, else the real start. Prometheus does the same
 * (scrape.go, {@code AlignScrapeTimestamps} with {@code ScrapeTimestampTolerance}, default 2 ms
 * as {@link ClusterScraper#DEFAULT_TIMESTAMP_TOLERANCE}, clamped to 1% of the interval) because
 * timer jitter of a millisecond turns the chunks' delta-of-delta timestamps from about a bit into
 * several bytes per sample.
 *
 * <p>The schedule starts at the first scrape and moves on by whole intervals, so a late, skipped
 * or failed scrape does not shift it. Unlike Prometheus, whose schedule starts at its ticker's
 * base (never after a tick), ours starts at a real start that may itself have been late; a later
 * scrape that starts up to the tolerance <em>before</em> its scheduled time therefore moves the
 * schedule back to that start, so the following scrapes align again; so does a clock set back. A
 * stamp is never later than the real start and never repeats the previous stamp.
 *
 * <p>One per {@link ScrapeLoop}, used by its scrape thread only.
 */
final class ScrapeTimestamps {
  private final Duration interval;
  private final Duration tolerance;
  /** The schedule's latest time not after the last start; null before the first scrape. */
  private Instant scheduled;
  private long lastStampMillis = Long.MIN_VALUE;

  /**
   * @param interval the target's scrape interval, above zero
   * @param tolerance how late a scrape may start and still get its scheduled time; zero turns
   *     alignment off; at most 1% of the interval is used, as in Prometheus
   */
  ScrapeTimestamps(Duration interval, Duration tolerance) {
    if (interval.isNegative() || interval.isZero()) {
      throw new IllegalArgumentException("scrape interval must be above 0, got " + interval);
    }
    if (tolerance.isNegative()) {
      throw new IllegalArgumentException(
          "scrape timestamp tolerance must not be negative, got " + tolerance);
    }
    this.interval = interval;
    Duration onePercent = interval.dividedBy(100);
    this.tolerance = tolerance.compareTo(onePercent) < 0 ? tolerance : onePercent;
  }

  /** The tolerance in use: the configured one, clamped to 1% of the interval. */
  Duration tolerance() {
    return tolerance;
  }

  /** The timestamp for the samples of a scrape that really started at {@code start}. */
  Instant stampFor(Instant start) {
    if (scheduled == null) {
      scheduled = start;
      return stamped(start);
    }
    Duration late = Duration.between(scheduled, start);
    if (late.compareTo(interval) >= 0) {
      // Skip every interval that has passed: missed, skipped or failed scrapes keep the schedule.
      scheduled = scheduled.plus(interval.multipliedBy(late.toNanos() / interval.toNanos()));
      late = Duration.between(scheduled, start);
    }
    if (!late.isNegative() && late.compareTo(tolerance) <= 0
        && scheduled.toEpochMilli() > lastStampMillis) {
      return stamped(scheduled);
    }
    if (late.isNegative() || late.compareTo(interval.minus(tolerance)) >= 0) {
      // Started just before its scheduled time (or the clock was set back): the schedule follows.
      scheduled = start;
    }
    return stamped(start);
  }

  private Instant stamped(Instant t) {
    lastStampMillis = t.toEpochMilli();
    return t;
  }
}
