package io.raftwatch.collector.promql;

import java.util.Arrays;

/**
 * A growable pair of primitive arrays, timestamps and values, so that building a series or a
 * subquery window boxes nothing. Used by one evaluation thread at a time.
 */
final class PointBuffer {
  long[] timestamps = new long[16];
  double[] values = new double[16];
  int size;

  void add(long t, double v) {
    if (size == timestamps.length) {
      timestamps = Arrays.copyOf(timestamps, size * 2);
      values = Arrays.copyOf(values, size * 2);
    }
    timestamps[size] = t;
    values[size] = v;
    size++;
  }
}
