package io.raftwatch.raftkv.raft;

/** A requested index lies beyond the last entry of the log. */
public final class UnavailableException extends RuntimeException {
  public UnavailableException(long index, long lastIndex) {
    super("index " + index + " is unavailable; the log ends at " + lastIndex, null, false, false);
  }
}
