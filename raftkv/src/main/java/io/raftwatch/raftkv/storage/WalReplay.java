package io.raftwatch.raftkv.storage;

import io.raftwatch.raftkv.raft.Entry;
import io.raftwatch.raftkv.raft.HardState;
import io.raftwatch.raftkv.raft.SnapshotMetadata;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Folds records, oldest first, into {@link WalContents} with etcd's replay rules: an entry at index
 * i replaces every entry at i or above (Raft overwrote an uncommitted suffix); entries at or below
 * the newest snapshot marker are dropped; a gap in the indexes is corruption. Used by {@link
 * Wal#open} on one thread.
 */
final class WalReplay {
  private HardState hardState = HardState.EMPTY;
  private SnapshotMetadata snapshot = SnapshotMetadata.EMPTY;
  private final List<Entry> entries = new ArrayList<>(); // Invariant: contiguous from snap + 1.

  void apply(Path file, WalReader.Framed record) throws CorruptWalException {
    try {
      switch (record.type()) {
        case ENTRY -> append(WalRecord.decodeEntry(record.payload()));
        case HARD_STATE -> hardState = WalRecord.decodeHardState(record.payload());
        case SNAPSHOT_MARKER -> mark(WalRecord.decodeMarker(record.payload()));
        case SNAPSHOT_FILE -> throw new IllegalArgumentException("snapshot file record in a WAL");
      }
    } catch (IllegalArgumentException e) {
      throw new CorruptWalException(file, record.offset(), e.getMessage());
    }
  }

  WalContents contents() {
    return new WalContents(hardState, snapshot, entries);
  }

  private void append(Entry e) {
    long last = entries.isEmpty() ? snapshot.index() : entries.get(entries.size() - 1).index();
    if (e.index() <= snapshot.index()) {
      return; // Compacted into the snapshot already.
    }
    if (e.index() > last + 1) {
      throw new IllegalArgumentException(
          "entry " + e.index() + " leaves a gap after index " + last);
    }
    entries.subList((int) (e.index() - snapshot.index() - 1), entries.size()).clear();
    entries.add(e);
  }

  private void mark(SnapshotMetadata m) {
    if (m.index() < snapshot.index()) {
      return; // A marker copied into a new segment's head, or an older one: nothing new.
    }
    snapshot = m;
    int covered = 0;
    while (covered < entries.size() && entries.get(covered).index() <= m.index()) {
      covered++;
    }
    entries.subList(0, covered).clear();
  }
}
