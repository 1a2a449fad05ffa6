package io.raftwatch.collector.notify;

import io.raftwatch.collector.rules.AlertingRule;

/**
 * The PromQL text of an alerting rule, for the alert's {@code generatorURL}. Stateless.
 */
final class RuleExpression {
  private RuleExpression() {}

  /**
   * TODO(notify): print {@code rule.expr()} with the promql package's printer once it is on main;
   * until then the link shows the rule's alerts ({@code ALERTS{alertname="..."}}), which the
   * collector's query API answers too.
   */
  static String text(AlertingRule rule) {
    return "ALERTS{alertname=\"" + rule.name() + "\"}";
  }
}
