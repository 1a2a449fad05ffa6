package io.raftwatch.collector.tsdb;

import java.util.Arrays;

/**
 * The samples of one scrape (or one rule evaluation), gathered before they are handed to {@link
 * SeriesStore#append} so that the store applies all of them or none.
 *
 * <p>Filled by one thread (the scrape loop of a target), then given to the store; not thread-safe.
 * Reusable through {@link #clear()}.
 */
public final class SampleBatch {
  private Labels[] labels;
  private long[] timestamps;
  private double[] values;
  private int size;

  /** An empty batch. */
  public SampleBatch() {
    this(64);
  }

  /** An empty batch with room for {@code capacity} samples before it grows. */
  public SampleBatch(int capacity) {
    int c = Math.max(1, capacity);
    labels = new Labels[c];
    timestamps = new long[c];
    values = new double[c];
  }

  /** Adds one sample; {@code value} may be {@link Samples#STALE_NAN}. */
  public void add(Labels series, long timestampMillis, double value) {
    if (size == labels.length) {
      int c = size * 2;
      labels = Arrays.copyOf(labels, c);
      timestamps = Arrays.copyOf(timestamps, c);
      values = Arrays.copyOf(values, c);
    }
    labels[size] = series;
    timestamps[size] = timestampMillis;
    values[size] = value;
    size++;
  }

  /** The number of samples added. */
  public int size() {
    return size;
  }

  public Labels labels(int i) {
    return labels[check(i)];
  }

  public long timestamp(int i) {
    return timestamps[check(i)];
  }

  public double value(int i) {
    return values[check(i)];
  }

  /** Empties the batch, keeping its capacity. */
  public void clear() {
    Arrays.fill(labels, 0, size, null);
    size = 0;
  }

  private int check(int i) {
    if (i < 0 || i >= size) {
      throw new IndexOutOfBoundsException("sample " + i + " of a batch of " + size);
    }
    return i;
  }
}
