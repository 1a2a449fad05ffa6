package io.raftwatch.collector.report.source;

/**
 * A {@link QuerySource} could not answer. The message names the source and says why, for people;
 * it never contains a credential. Thrown on the caller's thread.
 */
public abstract sealed class QuerySourceException extends Exception
    permits SourceUnreachableException, QueryFailedException {
  QuerySourceException(String message, Throwable cause) {
    super(message, cause);
  }
}
