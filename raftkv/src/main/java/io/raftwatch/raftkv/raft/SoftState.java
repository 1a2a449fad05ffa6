package io.raftwatch.raftkv.raft;

/**
 * Volatile state that callers watch but need not persist.
 *
 * @param lead the leader this node believes in, or {@link RaftNode#NONE}
 * @param role this node's role
 */
public record SoftState(long lead, Role role) {}
