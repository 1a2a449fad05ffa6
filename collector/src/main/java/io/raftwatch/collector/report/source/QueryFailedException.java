package io.raftwatch.collector.report.source;

/**
 * The source answered but refused or failed one query (Prometheus's {@code bad_data}, {@code
 * execution}, a timeout): the report records it as a problem and goes on with the other queries.
 */
public final class QueryFailedException extends QuerySourceException {
  public QueryFailedException(String message, Throwable cause) {
    super(message, cause);
  }
}
