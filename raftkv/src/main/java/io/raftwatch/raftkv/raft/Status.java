package io.raftwatch.raftkv.raft;

import java.util.Map;

/**
 * A snapshot of a node's state for metrics, admin APIs and tests.
 *
 * @param progress on a leader, each member's replication state; empty otherwise
 * @param leadTransferee the node leadership is being handed to, or {@link RaftNode#NONE}
 */
public record Status(
    long id,
    HardState hardState,
    SoftState softState,
    long applied,
    long lastIndex,
    ConfState confState,
    Map<Long, PeerProgress> progress,
    long leadTransferee) {

  /** The leader's view of one member's log. */
  public record PeerProgress(long match, long next, String state, boolean learner) {}
}
