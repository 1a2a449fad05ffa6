package io.raftwatch.collector.rules;

import io.raftwatch.collector.promql.Expr;
import io.raftwatch.collector.promql.Value;
import java.time.Instant;
import java.util.List;

/**
 * A recording or alerting rule of a {@link RuleGroup}. Evaluated by its group on the group's
 * thread, one evaluation at a time.
 */
public sealed interface Rule permits AlertingRule, RecordingRule {
  /** The {@code record} or {@code alert} name. */
  String name();

  /** The parsed expression. */
  Expr expr();

  /**
   * Evaluates the rule at {@code t} and returns the samples to store, stamped {@code t}.
   *
   * @param limit the group's limit on series or alerts, 0 for none
   * @throws RuleEvaluationException when the query fails or the result breaks a rule
   */
  List<Value.Sample> eval(Instant t, QueryFunction query, int limit)
      throws RuleEvaluationException;
}
