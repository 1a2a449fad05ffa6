package io.raftwatch.collector.report.source;

/**
 * The source could not be reached (connection refused, TLS handshake failed, timeout, an answer
 * that is not Prometheus's API): nothing it would say can be trusted, so the report stops. The
 * message names the URL.
 */
public final class SourceUnreachableException extends QuerySourceException {
  public SourceUnreachableException(String message, Throwable cause) {
    super(message, cause);
  }
}
