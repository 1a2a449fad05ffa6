package io.raftwatch.collector.history;

/**
 * The history database failed or refused: unreachable, wrong credentials, a schema from a newer
 * raftwatch. The message names the database (without its password) and what was being done.
 */
public final class HistoryException extends RuntimeException {
  public HistoryException(String message, Throwable cause) {
    super(message, cause);
  }

  public HistoryException(String message) {
    super(message);
  }
}
