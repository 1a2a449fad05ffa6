package io.raftwatch.collector.promql;

/**
 * A query stopped because it ran past its timeout or would hold more samples than {@link
 * EngineOptions#maxSamples()}, so that one bad rule cannot hang or exhaust the collector.
 */
public final class QueryLimitException extends PromqlEvalException {
  QueryLimitException(String message) {
    super(message);
  }
}
