package io.raftwatch.collector.promql;

/**
 * A query that parsed but failed while being evaluated, with Prometheus's message: "multiple
 * matches for labels: many-to-one matching must be explicit (group_left/group_right)", "vector
 * cannot contain metrics with the same labelset", an invalid regex in label_replace, a timeout or
 * too many samples ({@link QueryLimitException}). Thrown by {@link Engine} on the calling thread.
 */
public class PromqlEvalException extends RuntimeException {
  PromqlEvalException(String message) {
    super(message);
  }
}
