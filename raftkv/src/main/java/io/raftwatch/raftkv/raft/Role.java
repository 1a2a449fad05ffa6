package io.raftwatch.raftkv.raft;

/** The role a node plays; see docs/design/raft-roles.md for the transitions. */
public enum Role {
  FOLLOWER,
  PRE_CANDIDATE,
  CANDIDATE,
  LEADER
}
