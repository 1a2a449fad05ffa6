package io.raftwatch.collector.promql;

import java.time.Duration;

/**
 * Settings of an {@link Engine}, with Prometheus's defaults in {@link #defaults()}.
 *
 * @param lookbackDelta how far back an instant selector looks for the latest sample (5m)
 * @param timeout the longest a query may run before {@link QueryLimitException}
 * @param maxSamples the most samples a query may load from the store plus hold in results (50M,
 *     Prometheus's {@code --query.max-samples})
 * @param evaluationInterval the default resolution of a subquery without a step in an instant query
 *     (Prometheus's global evaluation interval, 1m); a range query uses its own step
 */
public record EngineOptions(
    Duration lookbackDelta, Duration timeout, long maxSamples, Duration evaluationInterval) {
  public EngineOptions {
    if (evaluationInterval.isNegative() || evaluationInterval.isZero()) {
      throw new IllegalArgumentException(
          "evaluationInterval must be positive, got " + evaluationInterval);
    }
    if (lookbackDelta.isNegative() || lookbackDelta.isZero()) {
      throw new IllegalArgumentException("lookbackDelta must be positive, got " + lookbackDelta);
    }
    if (timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException("timeout must be positive, got " + timeout);
    }
    if (maxSamples <= 0) {
      throw new IllegalArgumentException("maxSamples must be positive, got " + maxSamples);
    }
  }

  /** 5m lookback, 2m timeout, 50,000,000 samples, 1m evaluation interval: Prometheus's defaults. */
  public static EngineOptions defaults() {
    return new EngineOptions(
        Duration.ofMinutes(5), Duration.ofMinutes(2), 50_000_000L, Duration.ofMinutes(1));
  }

  /** A copy with another lookback delta. */
  public EngineOptions withLookbackDelta(Duration d) {
    return new EngineOptions(d, timeout, maxSamples, evaluationInterval);
  }

  /** A copy with another timeout. */
  public EngineOptions withTimeout(Duration d) {
    return new EngineOptions(lookbackDelta, d, maxSamples, evaluationInterval);
  }

  /** A copy with another sample limit. */
  public EngineOptions withMaxSamples(long n) {
    return new EngineOptions(lookbackDelta, timeout, n, evaluationInterval);
  }

  /** A copy with another evaluation interval (the default subquery step of instant queries). */
  public EngineOptions withEvaluationInterval(Duration d) {
    return new EngineOptions(lookbackDelta, timeout, maxSamples, d);
  }
}
