package io.raftwatch.collector.promql;

import io.raftwatch.collector.tsdb.Labels;
import java.util.List;

/**
 * The result of a PromQL query, as Prometheus's API types it: a {@link Vector} or {@link Scalar}
 * (instant queries), a {@link Matrix} (range queries, or an instant query of a range vector) or a
 * {@link StringValue}. Immutable; returned by {@link Engine}.
 */
public sealed interface Value {
  /** The Prometheus API's {@code resultType}: "vector", "matrix", "scalar" or "string". */
  String resultType();

  /** One element of an instant vector. {@code timestampMillis} is the evaluation time. */
  record Sample(Labels labels, long timestampMillis, double value) {}

  /** An instant vector; in the order PromQL produced it (significant after sort functions). */
  record Vector(List<Sample> samples) implements Value {
    public Vector {
      samples = List.copyOf(samples);
    }

    @Override
    public String resultType() {
      return "vector";
    }
  }

  /** A scalar at {@code timestampMillis}. */
  record Scalar(long timestampMillis, double value) implements Value {
    @Override
    public String resultType() {
      return "scalar";
    }
  }

  /** A string at {@code timestampMillis}. */
  record StringValue(long timestampMillis, String value) implements Value {
    @Override
    public String resultType() {
      return "string";
    }
  }

  /**
   * One series of a matrix: its points as two parallel arrays of equal length, timestamps
   * ascending. NB: arrays make record equality identity-based; compare with {@link #sameAs}.
   * Callers must not modify the arrays.
   */
  record Series(Labels labels, long[] timestampsMillis, double[] values) {
    /** The number of points. */
    public int size() {
      return timestampsMillis.length;
    }

    /** Whether {@code other} has the same labels and points (NaN equal to NaN). */
    public boolean sameAs(Series other) {
      return labels.equals(other.labels)
          && java.util.Arrays.equals(timestampsMillis, other.timestampsMillis)
          && java.util.Arrays.equals(values, other.values);
    }
  }

  /** A range vector: series sorted by labels. */
  record Matrix(List<Series> series) implements Value {
    public Matrix {
      series = List.copyOf(series);
    }

    @Override
    public String resultType() {
      return "matrix";
    }
  }
}
