package io.raftwatch.collector.rules;

import io.raftwatch.collector.promql.Expr;
import io.raftwatch.collector.promql.Value.Sample;
import java.time.Instant;
import java.util.List;

/** Runs a rule's query and turns engine failures into {@link RuleEvaluationException}. */
final class RuleQueries {
  private RuleQueries() {}

  static List<Sample> run(QueryFunction query, Expr expr, Instant t)
      throws RuleEvaluationException {
    try {
      return query.query(expr, t);
    } catch (RuntimeException e) {
      throw new RuleEvaluationException(String.valueOf(e.getMessage()), e);
    }
  }
}
