package io.raftwatch.collector.scrape;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/**
 * Prometheus's scrape timestamp alignment rule: a scrape starting at most the tolerance after its
 * scheduled time is stamped with that time; the schedule moves on by whole intervals.
 */
class ScrapeTimestampsTest {
  private static final Instant T0 = Instant.parse("2026-11-24T12:00:00Z");
  private static final Duration INTERVAL = Duration.ofSeconds(15);
  private final ScrapeTimestamps timestamps =
      new ScrapeTimestamps(INTERVAL, ClusterScraper.DEFAULT_TIMESTAMP_TOLERANCE);

  @Test
  void firstScrapeIsStampedWithItsRealStart() {
    assertThat(timestamps.stampFor(at(700_000))).isEqualTo(at(700_000));
  }

  @Test
  void startsUpToTheToleranceLateGetTheScheduledTime() {
    timestamps.stampFor(T0);

    assertThat(timestamps.stampFor(at(15_000_000_000L + 2_000_000))).isEqualTo(at(15_000_000_000L));
    assertThat(timestamps.stampFor(at(30_000_000_000L + 300_000))).isEqualTo(at(30_000_000_000L));
  }

  @Test
  void startsBeyondTheToleranceKeepTheirRealTimeAndDoNotShiftTheSchedule() {
    timestamps.stampFor(T0);

    assertThat(timestamps.stampFor(at(15_000_000_000L + 2_000_001)))
        .isEqualTo(at(15_000_000_000L + 2_000_001));
    assertThat(timestamps.stampFor(at(30_000_000_000L + 1_000_000))).isEqualTo(at(30_000_000_000L));
  }

  @Test
  void skippedIntervalsKeepTheSchedule() {
    timestamps.stampFor(T0);

    assertThat(timestamps.stampFor(at(45_000_000_000L + 1_000_000))).isEqualTo(at(45_000_000_000L));
  }

  @Test
  void toleranceIsClampedToOnePercentOfTheInterval() {
    ScrapeTimestamps fast = new ScrapeTimestamps(Duration.ofMillis(100), Duration.ofMillis(2));
    assertThat(fast.tolerance()).isEqualTo(Duration.ofMillis(1));
    fast.stampFor(T0);

    assertThat(fast.stampFor(at(101_500_000))).isEqualTo(at(101_500_000));
    assertThat(fast.stampFor(at(201_000_000))).isEqualTo(at(200_000_000));
  }

  @Test
  void zeroToleranceTurnsAlignmentOff() {
    ScrapeTimestamps off = new ScrapeTimestamps(INTERVAL, Duration.ZERO);
    off.stampFor(T0);

    assertThat(off.stampFor(at(15_000_000_000L + 1_000_000))).isEqualTo(at(15_000_000_000L + 1_000_000));
  }

  @Test
  void aLateFirstScrapeDoesNotStopAlignmentOfLessLateOnes() {
    timestamps.stampFor(at(1_000_000));

    // 0.8 ms before the schedule the late first scrape set: the schedule moves back to it.
    assertThat(timestamps.stampFor(at(15_000_200_000L))).isEqualTo(at(15_000_200_000L));
    assertThat(timestamps.stampFor(at(30_000_700_000L))).isEqualTo(at(30_000_200_000L));
  }

  @Test
  void aSecondScrapeWithinTheSameIntervalIsNotStampedTwiceWithTheSameTime() {
    timestamps.stampFor(T0);

    assertThat(timestamps.stampFor(at(1_000_000))).isEqualTo(at(1_000_000));
  }

  @Test
  void aClockSetBackRestartsTheSchedule() {
    timestamps.stampFor(T0);
    timestamps.stampFor(at(15_000_000_000L));

    assertThat(timestamps.stampFor(at(5_001_000_000L))).isEqualTo(at(5_001_000_000L));
    assertThat(timestamps.stampFor(at(20_002_000_000L))).isEqualTo(at(20_001_000_000L));
  }

  @Test
  void negativeToleranceIsRefused() {
    assertThatThrownBy(() -> new ScrapeTimestamps(INTERVAL, Duration.ofMillis(-1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("scrape timestamp tolerance must not be negative, got PT-0.001S");
  }

  private static Instant at(long nanosAfterT0) {
    return T0.plusNanos(nanosAfterT0);
  }
}
