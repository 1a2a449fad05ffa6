package io.raftwatch.raftkv.server;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * etcd 3.4's periodic auto-compaction: keep {@code retention} of history. The revision is recorded
 * every tenth of the retention (of an hour, for retentions above one); once the first retention has
 * passed, it compacts to the revision recorded one retention ago, then again every retention (every
 * hour for longer ones). A failed compaction is retried at the next check. See {@link
 * CompactionPolicy} for who calls it.
 */
final class PeriodicCompaction implements CompactionPolicy {
  private static final Pattern PART = Pattern.compile("([0-9]+(?:\\.[0-9]+)?)(ns|us|µs|ms|s|m|h)");
  private static final int CHECKS_PER_PERIOD = 10;

  private final Duration period;
  private final Duration compactInterval;
  private final int retentions;
  private final Deque<Long> revisions = new ArrayDeque<>();
  private Duration baseInterval;
  private Instant lastSuccess;

  PeriodicCompaction(Duration period) {
    if (period.isZero() || period.isNegative()) {
      throw new IllegalArgumentException("retention must be positive: " + period);
    }
    this.period = period;
    this.compactInterval = period.compareTo(Duration.ofHours(1)) > 0 ? Duration.ofHours(1) : period;
    this.retentions = (int) (period.toNanos() / checkInterval().toNanos()) + 1;
    this.baseInterval = period;
  }

  /** --auto-compaction-retention in periodic mode: a Go duration ("30m", "1h30m") or hours ("72"). */
  static Duration retention(String text) {
    if (text.matches("[0-9]+")) {
      return Duration.ofHours(Long.parseLong(text));
    }
    Matcher m = PART.matcher(text);
    double nanos = 0;
    int end = 0;
    while (m.find() && m.start() == end) {
      double unit = switch (m.group(2)) {
        case "ns" -> 1;
        case "us", "µs" -> 1e3;
        case "ms" -> 1e6;
        case "s" -> 1e9;
        case "m" -> 60e9;
        default -> 3600e9;
      };
      nanos += Double.parseDouble(m.group(1)) * unit;
      end = m.end();
    }
    if (end != text.length() || end == 0) {
      throw new IllegalArgumentException("not a duration: \"" + text + "\"");
    }
    return Duration.ofNanos((long) nanos);
  }

  @Override
  public Duration checkInterval() {
    return compactInterval.dividedBy(CHECKS_PER_PERIOD);
  }

  @Override
  public long onTimer(Instant now, long currentRevision, boolean leader) {
    if (lastSuccess == null) {
      lastSuccess = now;
      record(currentRevision);
      return 0;
    }
    if (!leader || Duration.between(lastSuccess, now).compareTo(baseInterval) < 0) {
      record(currentRevision);
      return 0;
    }
    // The first compaction waits a whole retention; later ones come every compact interval.
    baseInterval = compactInterval;
    long revision = revisions.peekFirst();
    record(currentRevision);
    return revision;
  }

  private void record(long revision) {
    revisions.addLast(revision);
    if (revisions.size() > retentions) {
      revisions.removeFirst(); // the first is always the revision one retention ago
    }
  }

  @Override
  public void compacted(long revision, Instant now) {
    lastSuccess = now;
  }
}
