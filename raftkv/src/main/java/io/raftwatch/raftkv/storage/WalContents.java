package io.raftwatch.raftkv.storage;

import io.raftwatch.raftkv.raft.Entry;
import io.raftwatch.raftkv.raft.HardState;
import io.raftwatch.raftkv.raft.SnapshotMetadata;
import java.util.List;

/**
 * What {@link Wal#open} recovered, for the driver to load into the Raft core's storage before the
 * first tick. Immutable.
 *
 * @param hardState the last hard state written, or {@link HardState#EMPTY}
 * @param snapshot the newest snapshot marker (the highest index), or {@link
 *     SnapshotMetadata#EMPTY}; the snapshot file itself comes from {@link Snapshotter}
 * @param entries the log after {@code snapshot.index()}, contiguous from {@code
 *     snapshot.index() + 1}, with every overwritten suffix already replaced
 */
public record WalContents(HardState hardState, SnapshotMetadata snapshot, List<Entry> entries) {
  public WalContents {
    entries = List.copyOf(entries);
  }

  /** The index of the last entry, or the snapshot's index when there is none after it. */
  public long lastIndex() {
    return entries.isEmpty() ? snapshot.index() : entries.get(entries.size() - 1).index();
  }
}
