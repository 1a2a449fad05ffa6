package io.raftwatch.collector.jobs;

/**
 * The collector could not be set up or started for a reason outside the config and rule files: the
 * data directory, the scheduler's database. The message says what and where.
 */
public final class CollectorException extends RuntimeException {
  public CollectorException(String message, Throwable cause) {
    super(message, cause);
  }
}
