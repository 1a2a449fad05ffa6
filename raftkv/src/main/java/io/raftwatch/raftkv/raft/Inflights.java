package io.raftwatch.raftkv.raft;

/**
 * The last indexes of AppendEntries sent to one follower and not yet acknowledged, bounded so a
 * slow follower cannot make the leader buffer an unbounded amount (etcd-io/raft tracker).
 */
final class Inflights {
  private final long[] buffer;
  // Invariant: 0 <= count <= buffer.length; the oldest entry is at start.
  private int start;
  private int count;

  Inflights(int capacity) {
    this.buffer = new long[capacity];
  }

  boolean full() {
    return count == buffer.length;
  }

  int count() {
    return count;
  }

  void add(long lastIndex) {
    if (full()) {
      throw new IllegalStateException("cannot add to full inflights");
    }
    buffer[(start + count) % buffer.length] = lastIndex;
    count++;
  }

  /** Frees every in-flight message whose last index is at most {@code to}. */
  void freeLE(long to) {
    while (count > 0 && buffer[start] <= to) {
      start = (start + 1) % buffer.length;
      count--;
    }
    if (count == 0) {
      start = 0;
    }
  }

  void freeFirstOne() {
    if (count > 0) {
      freeLE(buffer[start]);
    }
  }

  void reset() {
    start = 0;
    count = 0;
  }
}
