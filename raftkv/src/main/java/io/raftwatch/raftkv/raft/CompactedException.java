package io.raftwatch.raftkv.raft;

/** A requested index lies in the compacted prefix of the log, covered by a snapshot. */
public final class CompactedException extends RuntimeException {
  public CompactedException(long index, long firstIndex) {
    super("index " + index + " is compacted; the log starts at " + firstIndex, null, false, false);
  }
}
