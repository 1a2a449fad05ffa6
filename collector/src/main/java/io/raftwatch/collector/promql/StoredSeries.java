package io.raftwatch.collector.promql;

import io.raftwatch.collector.tsdb.Labels;
import java.util.Arrays;

/**
 * One series as read from the store for a query, held as primitive arrays: its samples without
 * staleness markers, and the times of its staleness markers apart, so that range vectors are plain
 * array windows and an instant lookup can still tell that a series went stale. Built once per
 * selector by the {@link Evaluator}; immutable after that.
 */
final class StoredSeries {
  final Labels labels;
  final long[] timestamps;
  final double[] values;
  final long[] staleTimestamps;

  StoredSeries(Labels labels, long[] timestamps, double[] values, long[] staleTimestamps) {
    this.labels = labels;
    this.timestamps = timestamps;
    this.values = values;
    this.staleTimestamps = staleTimestamps;
  }

  /** The index of the latest sample at or before {@code t}, or -1. */
  int latestAtOrBefore(long t) {
    return upperBound(timestamps, t) - 1;
  }

  /**
   * Whether a staleness marker lies after the sample at {@code index} and at or before {@code t}.
   */
  boolean staleAfter(int index, long t) {
    int s = upperBound(staleTimestamps, t) - 1;
    return s >= 0 && staleTimestamps[s] > timestamps[index];
  }

  /** The window of samples with {@code minT <= timestamp <= maxT}. */
  SeriesWindow window(long minT, long maxT) {
    int from = lowerBound(timestamps, minT);
    int to = upperBound(timestamps, maxT);
    return new SeriesWindow(labels, timestamps, values, from, Math.max(from, to));
  }

  /** The first index whose time is {@code >= t}. */
  static int lowerBound(long[] a, long t) {
    int i = Arrays.binarySearch(a, t);
    if (i < 0) {
      return -i - 1;
    }
    while (i > 0 && a[i - 1] == t) {
      i--;
    }
    return i;
  }

  /** The first index whose time is {@code > t}. */
  static int upperBound(long[] a, long t) {
    int i = Arrays.binarySearch(a, t);
    if (i < 0) {
      return -i - 1;
    }
    while (i + 1 < a.length && a[i + 1] == t) {
      i++;
    }
    return i + 1;
  }
}
