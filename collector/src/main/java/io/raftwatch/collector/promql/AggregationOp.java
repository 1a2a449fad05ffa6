package io.raftwatch.collector.promql;

import java.util.Locale;

/** The PromQL aggregation operators; {@link #hasParameter} marks those that take one first. */
public enum AggregationOp {
  SUM,
  AVG,
  COUNT,
  MIN,
  MAX,
  GROUP,
  STDDEV,
  STDVAR,
  TOPK(true),
  BOTTOMK(true),
  QUANTILE(true),
  COUNT_VALUES(true);

  private final boolean hasParameter;

  AggregationOp() {
    this(false);
  }

  AggregationOp(boolean hasParameter) {
    this.hasParameter = hasParameter;
  }

  /**
   * Whether the operator takes a parameter before the vector: topk, bottomk, quantile,
   * count_values.
   */
  public boolean hasParameter() {
    return hasParameter;
  }

  /** The operator's name as written in PromQL. */
  public String promqlName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The operator named {@code lowerCaseName}, or null. */
  static AggregationOp byName(String lowerCaseName) {
    for (AggregationOp op : values()) {
      if (op.promqlName().equals(lowerCaseName)) {
        return op;
      }
    }
    return null;
  }
}
