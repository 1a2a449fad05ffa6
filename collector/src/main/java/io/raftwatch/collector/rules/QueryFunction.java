package io.raftwatch.collector.rules;

import io.raftwatch.collector.promql.Engine;
import io.raftwatch.collector.promql.Expr;
import io.raftwatch.collector.promql.Value;
import io.raftwatch.collector.tsdb.Labels;
import java.time.Instant;
import java.util.List;

/**
 * Evaluates a rule's expression at an instant, as Prometheus's {@code rules.QueryFunc}: an instant
 * vector as is, a scalar as one sample without labels. Called by rules on the evaluating thread.
 */
@FunctionalInterface
public interface QueryFunction {
  /**
   * The samples of {@code expr} at {@code t}.
   *
   * @throws RuntimeException when evaluation fails (PromQL errors, limits); the rule records it
   */
  List<Value.Sample> query(Expr expr, Instant t);

  /** Queries through {@code engine}. */
  static QueryFunction of(Engine engine) {
    return (expr, t) -> {
      Value v = engine.instantQuery(expr, t);
      if (v instanceof Value.Vector vec) {
        return vec.samples();
      }
      if (v instanceof Value.Scalar s) {
        return List.of(new Value.Sample(Labels.EMPTY, s.timestampMillis(), s.value()));
      }
      throw new IllegalArgumentException("rule result is not a vector or scalar");
    };
  }
}
