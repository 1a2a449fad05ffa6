package io.raftwatch.collector.report.source;

import io.raftwatch.collector.promql.Value;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * Where a report (and {@code raftwatch check --prometheus}) reads its data: PromQL instant and
 * range queries plus the alerts active now, in the shapes of Prometheus's HTTP API. {@link
 * EngineQuerySource} answers in-process over the collector's store; {@link PrometheusApiSource}
 * asks a Prometheus server or the collector's own {@code /api/v1/*}.
 *
 * <p>Called on the thread that builds the report; implementations need not be thread-safe and
 * must never log secrets (bearer tokens, keys).
 */
public interface QuerySource {
  /** What this source is, for people: "in-process", or the base URL it queries. */
  String describe();

  /**
   * The instant vector (or scalar, as one sample without labels) of {@code query} at {@code time}.
   *
   * @throws SourceUnreachableException when the source cannot be reached at all
   * @throws QueryFailedException when the source rejected or failed this one query
   */
  List<Value.Sample> instant(String query, Instant time) throws SourceUnreachableException, QueryFailedException;

  /**
   * The series of {@code query} evaluated at {@code start}, {@code start + step}, ... {@code end},
   * as {@code /api/v1/query_range} returns them.
   *
   * @throws SourceUnreachableException when the source cannot be reached at all
   * @throws QueryFailedException when the source rejected or failed this one query
   */
  List<Value.Series> range(String query, Instant start, Instant end, Duration step)
      throws SourceUnreachableException, QueryFailedException;

  /**
   * The pending and firing alerts of every rule the source evaluates ({@code /api/v1/alerts}).
   *
   * @throws SourceUnreachableException when the source cannot be reached at all
   * @throws QueryFailedException when the source does not serve alerts
   */
  List<ActiveAlert> activeAlerts() throws SourceUnreachableException, QueryFailedException;
}
