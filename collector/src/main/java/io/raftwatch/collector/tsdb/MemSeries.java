package io.raftwatch.collector.tsdb;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * One stored series: its labels, the cut chunks and the open head chunk.
 *
 * <p>The cut chunks of a series live back to back in one byte array, with their bounds in primitive
 * arrays, rather than as one object each: at 15 s scrapes a chunk of 120 samples compresses to
 * 70-200 bytes, so per-object headers would add a third to the memory a sample takes.
 *
 * <p>All methods synchronize on the series: one scrape thread appends, readers take snapshots, and
 * retention trims, each briefly.
 */
final class MemSeries {
  /** Samples per chunk before a new one is cut, as in Prometheus's head. */
  static final int SAMPLES_PER_CHUNK = 120;

  private static final byte[] NO_BYTES = new byte[0];
  private static final long[] NO_TIMES = new long[0];
  private static final int[] NO_OFFSETS = new int[0];

  final Labels labels;
  final String cluster;

  // Cut chunks, oldest first, each of SAMPLES_PER_CHUNK samples. Chunk i spans
  // cutData[cutStart[i], cutStart[i + 1]), the last one to the end. Invariant: cutData is never
  // modified once assigned, so readers may hold on to it.
  private byte[] cutData = NO_BYTES;
  private int[] cutStart = NO_OFFSETS;
  private long[] cutMinTime = NO_TIMES;
  private long[] cutMaxTime = NO_TIMES;
  private int cutCount;

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
      cutHead();
    }
    head.append(t, v);
    lastTime = t;
    return Outcome.APPENDED;
  }

  private void cutHead() {
    int size = head.sizeBytes();
    // An exact fit: a cut comes once per 120 samples, so copying is cheap, and slack would cost
    // more memory than the chunk headers this layout saves. A new array also leaves readers that
    // hold the old one undisturbed.
    int at = cutData.length;
    cutData = Arrays.copyOf(cutData, at + size);
    if (cutCount == cutStart.length) {
      int c = Math.max(4, cutCount * 2);
      cutStart = Arrays.copyOf(cutStart, c);
      cutMinTime = Arrays.copyOf(cutMinTime, c);
      cutMaxTime = Arrays.copyOf(cutMaxTime, c);
    }
    head.copyBytesTo(cutData, at);
    cutStart[cutCount] = at;
    cutMinTime[cutCount] = head.minTime();
    cutMaxTime[cutCount] = head.maxTime();
    cutCount++;
    head = new XorChunk();
  }

  /** The chunks holding samples in [minTime, maxTime]; empty when there are none. */
  synchronized List<SealedChunk> chunks(long minTime, long maxTime) {
    List<SealedChunk> out = new ArrayList<>(2);
    for (int i = 0; i < cutCount; i++) {
      if (cutMaxTime[i] >= minTime && cutMinTime[i] <= maxTime) {
        out.add(
            new SealedChunk(cutData, cutStart[i], SAMPLES_PER_CHUNK, cutMinTime[i], cutMaxTime[i]));
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
    int drop = 0;
    while (drop < cutCount && cutMaxTime[drop] < t) {
      drop++;
    }
    if (drop > 0) {
      int from = drop < cutCount ? cutStart[drop] : cutData.length;
      // Fresh arrays: readers may still hold the old ones.
      cutData = Arrays.copyOfRange(cutData, from, cutData.length);
      int kept = cutCount - drop;
      int[] starts = new int[Math.max(4, kept)];
      for (int i = 0; i < kept; i++) {
        starts[i] = cutStart[drop + i] - from;
      }
      cutStart = starts;
      cutMinTime = Arrays.copyOfRange(cutMinTime, drop, drop + starts.length);
      cutMaxTime = Arrays.copyOfRange(cutMaxTime, drop, drop + starts.length);
      cutCount = kept;
    }
    if (cutCount == 0 && head.count() > 0 && head.maxTime() < t) {
      removed = true;
    }
    return removed;
  }

  /** Adds samples stored and compressed bytes used into {@code stats} ([0] samples, [1] bytes). */
  synchronized void addStats(long[] stats) {
    stats[0] += (long) cutCount * SAMPLES_PER_CHUNK + head.count();
    stats[1] += cutData.length + head.sizeBytes();
  }
}
