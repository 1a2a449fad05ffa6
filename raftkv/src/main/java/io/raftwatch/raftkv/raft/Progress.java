package io.raftwatch.raftkv.raft;

/**
 * The leader's view of one follower's log (etcd-io/raft tracker/progress.go).
 *
 * <pre>
 *            reject/unreachable             snapshot needed
 *  REPLICATE ------------------> PROBE ----------------------> SNAPSHOT
 *      ^                          |  ^                            |
 *      +------ append acked ------+  +---- snapshot applied ------+
 * </pre>
 *
 * In PROBE the leader sends one append per heartbeat until it finds where the logs match; in
 * REPLICATE it streams appends optimistically, bounded by {@link Inflights}; in SNAPSHOT it waits
 * for an InstallSnapshot to land.
 */
final class Progress {
  enum State {
    PROBE,
    REPLICATE,
    SNAPSHOT
  }

  // Invariant: match < next.
  long match;
  long next;
  State state = State.PROBE;
  /** In PROBE: an append was sent and no reply or heartbeat reply came yet. */
  boolean probeSent;
  /** In SNAPSHOT: index of the snapshot being sent. */
  long pendingSnapshot;
  /** Heard from since the last check-quorum round. */
  boolean recentActive;
  boolean isLearner;
  final Inflights inflights;

  Progress(long next, int maxInflight, boolean isLearner) {
    this.next = next;
    this.inflights = new Inflights(maxInflight);
    this.isLearner = isLearner;
  }

  private void resetState(State s) {
    probeSent = false;
    pendingSnapshot = 0;
    state = s;
    inflights.reset();
  }

  void becomeProbe() {
    if (state == State.SNAPSHOT) {
      long pending = pendingSnapshot;
      resetState(State.PROBE);
      next = Math.max(match + 1, pending + 1);
    } else {
      resetState(State.PROBE);
      next = match + 1;
    }
  }

  void becomeReplicate() {
    resetState(State.REPLICATE);
    next = match + 1;
  }

  void becomeSnapshot(long snapshotIndex) {
    resetState(State.SNAPSHOT);
    pendingSnapshot = snapshotIndex;
  }

  /** An append up to {@code lastIndex} was sent; {@code empty} if it carried no entries. */
  void sentEntries(long lastIndex, boolean empty) {
    switch (state) {
      case REPLICATE -> {
        if (!empty) {
          next = lastIndex + 1;
          inflights.add(lastIndex);
        }
      }
      case PROBE -> probeSent = true;
      case SNAPSHOT -> throw new IllegalStateException("sending append in snapshot state");
    }
  }

  /** An append was acknowledged up to {@code n}; returns whether that was news. */
  boolean maybeUpdate(long n) {
    boolean updated = false;
    if (match < n) {
      match = n;
      updated = true;
      probeSent = false;
    }
    next = Math.max(next, n + 1);
    return updated;
  }

  /**
   * An append with prevIndex {@code rejected} was refused; the follower's log may match up to
   * {@code matchHint}. Returns false if the rejection is stale (out of order).
   */
  boolean maybeDecrTo(long rejected, long matchHint) {
    if (state == State.REPLICATE) {
      if (rejected <= match) {
        return false;
      }
      next = match + 1;
      return true;
    }
    if (next - 1 != rejected) {
      return false;
    }
    next = Math.max(Math.min(rejected, matchHint + 1), 1);
    probeSent = false;
    return true;
  }

  boolean isPaused() {
    return switch (state) {
      case PROBE -> probeSent;
      case REPLICATE -> inflights.full();
      case SNAPSHOT -> true;
    };
  }

  @Override
  public String toString() {
    StringBuilder b = new StringBuilder();
    b.append("State").append(switch (state) {
      case PROBE -> "Probe";
      case REPLICATE -> "Replicate";
      case SNAPSHOT -> "Snapshot";
    });
    b.append(" match=").append(match).append(" next=").append(next);
    if (isLearner) {
      b.append(" learner");
    }
    if (isPaused()) {
      b.append(" paused");
    }
    if (pendingSnapshot > 0) {
      b.append(" pendingSnap=").append(pendingSnapshot);
    }
    if (!recentActive) {
      b.append(" inactive");
    }
    if (inflights.count() > 0) {
      b.append(" inflight=").append(inflights.count());
      if (inflights.full()) {
        b.append("[full]");
      }
    }
    return b.toString();
  }
}
