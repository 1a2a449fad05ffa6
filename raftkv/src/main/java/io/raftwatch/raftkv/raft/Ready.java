package io.raftwatch.raftkv.raft;

import java.util.List;

/**
 * Everything the driver must do after the core changed state, in this order (etcd-io/raft
 * node.go; the leader's own copy counts toward commit only because step 1 precedes step 3):
 *
 * <ol>
 *   <li>persist {@link #snapshot}, {@link #entries} and {@link #hardState} — fsync if {@link
 *       #mustSync};
 *   <li>send {@link #messages};
 *   <li>restore {@link #snapshot} into the state machine if present, then apply {@link
 *       #committedEntries} in order, calling {@link RaftNode#applyConfChange} for conf changes;
 *   <li>act on {@link #softState} and {@link #readStates};
 *   <li>call {@link RaftNode#advance(Ready)} before asking for the next Ready.
 * </ol>
 *
 * @param softState leader and role, or null if unchanged since the previous Ready
 * @param hardState term, vote and commit to persist, or null if unchanged
 * @param readStates answers to read-index requests made on this node
 * @param entries new log entries to persist; they may replace persisted entries with the same or
 *     higher index, which the storage must then truncate
 * @param snapshot a snapshot to persist and restore, or {@link Snapshot#EMPTY}
 * @param committedEntries entries to apply, contiguous and in order
 * @param messages messages to send once the above is durable
 * @param mustSync whether the write must be fsynced: new entries, term or vote
 */
public record Ready(
    SoftState softState,
    HardState hardState,
    List<ReadState> readStates,
    List<Entry> entries,
    Snapshot snapshot,
    List<Entry> committedEntries,
    List<Message> messages,
    boolean mustSync) {

  public Ready {
    readStates = List.copyOf(readStates);
    entries = List.copyOf(entries);
    committedEntries = List.copyOf(committedEntries);
    messages = List.copyOf(messages);
  }

  @Override
  public String toString() {
    return Describe.ready(this);
  }
}
