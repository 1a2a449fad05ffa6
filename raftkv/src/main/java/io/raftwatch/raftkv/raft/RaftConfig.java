package io.raftwatch.raftkv.raft;

/**
 * How a {@link RaftNode} behaves. Times are in ticks; the driver decides how long a tick is
 * (raftkv: {@code --heartbeat-interval}).
 *
 * @param id this node's id, never {@link RaftNode#NONE}
 * @param electionTick ticks a follower waits for a leader before campaigning; the actual timeout
 *     is randomized in [electionTick, 2*electionTick) (§5.2). Must exceed heartbeatTick.
 * @param heartbeatTick ticks between a leader's heartbeats
 * @param maxSizePerMsg bytes of entries per AppendEntries (at least one entry is always sent)
 * @param maxInflightMsgs appends in flight per follower before the leader waits for acks
 * @param maxCommittedSizePerReady bytes of committed entries handed to the driver per Ready
 * @param checkQuorum a leader steps down when it has not heard from a quorum for electionTick
 *     ticks, and followers that hear from a leader ignore vote requests (leader lease, §6)
 * @param preVote candidates first ask whether they could win without raising their term (§9.6)
 * @param applied the index the application has already applied (on restart)
 */
public record RaftConfig(
    long id,
    int electionTick,
    int heartbeatTick,
    long maxSizePerMsg,
    int maxInflightMsgs,
    long maxCommittedSizePerReady,
    boolean checkQuorum,
    boolean preVote,
    long applied) {

  public RaftConfig {
    if (id == RaftNode.NONE) {
      throw new IllegalArgumentException("node id must not be " + RaftNode.NONE);
    }
    if (heartbeatTick <= 0) {
      throw new IllegalArgumentException("heartbeat tick must be greater than 0");
    }
    if (electionTick <= heartbeatTick) {
      throw new IllegalArgumentException("election tick must be greater than heartbeat tick");
    }
    if (maxInflightMsgs <= 0) {
      throw new IllegalArgumentException("max inflight messages must be greater than 0");
    }
  }

  /** etcd's defaults: 10 election ticks, 1 heartbeat tick, 1 MiB messages, 256 in flight. */
  public static RaftConfig defaults(long id) {
    return new RaftConfig(id, 10, 1, 1 << 20, 256, 64L << 20, true, true, 0);
  }

  public RaftConfig withTicks(int election, int heartbeat) {
    return new RaftConfig(id, election, heartbeat, maxSizePerMsg, maxInflightMsgs,
        maxCommittedSizePerReady, checkQuorum, preVote, applied);
  }

  public RaftConfig withCheckQuorum(boolean on) {
    return new RaftConfig(id, electionTick, heartbeatTick, maxSizePerMsg, maxInflightMsgs,
        maxCommittedSizePerReady, on, preVote, applied);
  }

  public RaftConfig withPreVote(boolean on) {
    return new RaftConfig(id, electionTick, heartbeatTick, maxSizePerMsg, maxInflightMsgs,
        maxCommittedSizePerReady, checkQuorum, on, applied);
  }

  public RaftConfig withApplied(long index) {
    return new RaftConfig(id, electionTick, heartbeatTick, maxSizePerMsg, maxInflightMsgs,
        maxCommittedSizePerReady, checkQuorum, preVote, index);
  }

  public RaftConfig withLimits(long maxSizePerMsg, int maxInflightMsgs) {
    return new RaftConfig(id, electionTick, heartbeatTick, maxSizePerMsg, maxInflightMsgs,
        maxCommittedSizePerReady, checkQuorum, preVote, applied);
  }
}
