package io.raftwatch.collector.promql;

import io.raftwatch.collector.tsdb.Labels;

/**
 * The points of one series inside a range vector at one evaluation step: a view of {@code [from,
 * to)} of two parallel arrays it does not own, so that sliding windows over a series share the
 * arrays and no point is copied or boxed. Built by the {@link Evaluator}; read by the range
 * functions; single-threaded.
 */
final class SeriesWindow {
  final Labels labels;
  final long[] timestamps;
  final double[] values;
  final int from;
  final int to;

  SeriesWindow(Labels labels, long[] timestamps, double[] values, int from, int to) {
    this.labels = labels;
    this.timestamps = timestamps;
    this.values = values;
    this.from = from;
    this.to = to;
  }

  int size() {
    return to - from;
  }

  long firstTime() {
    return timestamps[from];
  }

  long lastTime() {
    return timestamps[to - 1];
  }

  double first() {
    return values[from];
  }

  double last() {
    return values[to - 1];
  }
}
