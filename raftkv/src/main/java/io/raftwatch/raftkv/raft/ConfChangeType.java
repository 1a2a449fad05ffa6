package io.raftwatch.raftkv.raft;

/** Kinds of {@link ConfChange}. The ordinal is persisted: append only. */
public enum ConfChangeType {
  /** Add a voter, or promote an existing learner to voter. */
  ADD_NODE,
  /** Remove a voter or learner. */
  REMOVE_NODE,
  /** Change a member's attributes (its context); membership is unchanged. */
  UPDATE_NODE,
  /** Add a learner: it receives the log but neither votes nor counts toward commit. */
  ADD_LEARNER_NODE
}
