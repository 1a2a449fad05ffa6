package io.raftwatch.raftkv.server;

import io.raftwatch.raftkv.raft.ConfChangeType;
import io.raftwatch.raftkv.raft.Snapshot;
import java.nio.ByteBuffer;

/**
 * The replicated application: what committed entries are applied to. Called only on the raft loop
 * thread, in log order; must be deterministic, since every member applies the same entries and
 * must reach the same state.
 */
public interface StateMachine {
  /**
   * Applies one command at {@code index}: the bytes from {@code command}'s position to its limit,
   * never empty. The buffer is a view into the log entry (no copy per entry), to read only.
   */
  void apply(long index, ByteBuffer command);

  /** The state as of the last applied index, for a Raft snapshot. */
  byte[] snapshot();

  /**
   * Records a committed membership change at {@code index}, already applied to Raft; {@code
   * member} is what its proposer attached (possibly empty). Does nothing unless the application
   * keeps a member list.
   */
  default void applyConfChange(long index, ConfChangeType type, long nodeId, byte[] member) {}

  /** Replaces the state with a snapshot received from the leader or loaded at start. */
  void restore(Snapshot snapshot);
}
