package io.raftwatch.raftkv.transport;

import io.raftwatch.raftkv.raft.Message;
import java.util.List;

/**
 * Carries Raft messages to peers. Called only by the raft loop thread, after the Ready that
 * produced the messages was persisted. Implementations must not block on the network: they queue
 * and send from their own threads, and tell the loop about unreachable peers and snapshot
 * outcomes through {@link Feedback}.
 */
public interface Transport {
  void send(List<Message> messages);

  /** What a transport reports back to the raft loop, from any thread. */
  interface Feedback {
    void unreachable(long peer);

    void snapshotDelivered(long peer, boolean ok);

    /** A message that was not sent (queue full, peer down); the loop fails forwarded proposals. */
    default void dropped(Message m) {}

    /**
     * A peer refused this member's messages because the cluster removed it (etcd's 410 Gone): the
     * member must stop. Ignored unless the member cares.
     */
    default void removedFromCluster(long peer) {}
  }
}
