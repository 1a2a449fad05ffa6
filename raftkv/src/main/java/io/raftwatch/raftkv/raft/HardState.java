package io.raftwatch.raftkv.raft;

/**
 * The state a node must persist before it answers any message (Figure 2, "Persistent state").
 *
 * @param term latest term this node has seen
 * @param vote candidate voted for in {@code term}, or {@link RaftNode#NONE}
 * @param commit highest index known committed; persisted (though, as in etcd, not forced to disk
 *     on its own) so that a restart usually applies as far as before without asking the leader
 */
public record HardState(long term, long vote, long commit) {
  public static final HardState EMPTY = new HardState(0, 0, 0);

  public boolean isEmpty() {
    return equals(EMPTY);
  }
}
