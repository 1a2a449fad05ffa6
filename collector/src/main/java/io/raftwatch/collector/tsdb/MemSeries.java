package io.raftwatch.collector.tsdb;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * One stored series: its labels, the cut chunks and the open head chunk.
 *
 * <p>All methods synchronize on the series: one scrape thread appends, readers take snapshots, and
 * retention trims, each briefly.
 */
final class MemSeries {
  /** Samples per chunk before a new one is cut, as in Prometheus's head. */
  static final int SAMPLES_PER_CHUNK = 120;

  final Labels labels;
  final String cluster;

  // Oldest first; each chunk's samples are all older than the next chunk's and the head's.
  private final ArrayDeque<SealedChunk> sealed = new ArrayDeque<>();
  private XorChunk head = new XorChunk();
  private long lastTime = Long.MIN_VALUE;
  private boolean removed; // Set once retention dropped the series; appenders then look again.

  MemSeries(Labels labels, String cluster) {
    this.labels = labels;
    this.cluster = cluster;
  }

  /** What {@link #append} did with one sample. */
  enum Outcome {
    APPENDED,
    OUT_OF_ORDER,
    DUPLICATE,
    REMOVED
  }

  synchronized Outcome append(long t, double v) {
    if (removed) {
      return Outcome.REMOVED;
    }
    if (t <= lastTime) {
      return t == lastTime ? Outcome.DUPLICATE : Outcome.OUT_OF_ORDER;
    }
    if (head.count() >= SAMPLES_PER_CHUNK) {
      sealed.addLast(head.snapshot());
      head = new XorChunk();
    }
    head.append(t, v);
    lastTime = t;
    return Outcome.APPENDED;
  }

  /** The chunks holding samples in [minTime, maxTime]; empty when there are none. */
  synchronized List<SealedChunk> chunks(long minTime, long maxTime) {
    List<SealedChunk> out = new ArrayList<>(2);
    for (SealedChunk c : sealed) {
      if (c.maxTime() >= minTime && c.minTime() <= maxTime) {
        out.add(c);
      }
    }
    if (head.count() > 0 && head.maxTime() >= minTime && head.minTime() <= maxTime) {
      out.add(head.snapshot());
    }
    return out;
  }

  /**
   * Drops the cut chunks whose samples are all older than {@code t}; when every sample is older,
   * marks the series removed and returns true so the store unindexes it. A partly old chunk stays
   * whole (readers filter by time).
   */
  synchronized boolean truncateBefore(long t) {
    while (!sealed.isEmpty() && sealed.peekFirst().maxTime() < t) {
      sealed.removeFirst();
    }
    if (sealed.isEmpty() && head.count() > 0 && head.maxTime() < t) {
      removed = true;
    }
    return removed;
  }

  /** Samples stored and compressed bytes used, added into {@code stats} ([0] += samples, [1] += bytes). */
  synchronized void addStats(long[] stats) {
    for (SealedChunk c : sealed) {
      stats[0] += c.count();
      stats[1] += c.data().length;
    }
    stats[0] += head.count();
    stats[1] += head.sizeBytes();
  }
}
