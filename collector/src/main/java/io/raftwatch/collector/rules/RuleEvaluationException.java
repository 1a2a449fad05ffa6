package io.raftwatch.collector.rules;

/**
 * A rule whose evaluation failed: the query failed, or its result broke a rule (duplicate label
 * sets, the group's limit). Prometheus's wording is kept, e.g. {@code exceeded limit of 2 with 3
 * alerts}.
 */
public final class RuleEvaluationException extends Exception {
  public RuleEvaluationException(String message) {
    super(message);
  }

  public RuleEvaluationException(String message, Throwable cause) {
    super(message, cause);
  }
}
