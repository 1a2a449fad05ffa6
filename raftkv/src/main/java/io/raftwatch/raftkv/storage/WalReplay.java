package io.raftwatch.raftkv.storage;

import io.raftwatch.raftkv.raft.Entry;
import io.raftwatch.raftkv.raft.HardState;
import io.raftwatch.raftkv.raft.SnapshotMetadata;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Folds records, oldest first, into {@link WalContents} with etcd's replay rules: entries at or
 * below the newest snapshot marker are dropped (the marker is found first, since it is written
 * after the entries it covers); an entry at index i replaces every entry at i or above (Raft
 * overwrote an uncommitted suffix); a gap in the indexes is corruption. Used by {@link Wal#open} on
 * one thread.
 */
final class WalReplay {
  private HardState hardState = HardState.EMPTY;
  private final SnapshotMetadata snapshot;
  private final List<Entry> entries = new ArrayList<>(); // Invariant: contiguous from snap + 1.

  /** @param snapshot the newest marker in the whole log, or {@link SnapshotMetadata#EMPTY} */
  WalReplay(SnapshotMetadata snapshot) {
    this.snapshot = snapshot;
  }

  /** The marker with the highest index among {@code records}, or {@code newest} if higher. */
  static SnapshotMetadata newestMarker(
      Path file, List<WalReader.Framed> records, SnapshotMetadata newest)
      throws CorruptWalException {
    for (WalReader.Framed record : records) {
      if (record.type() == WalRecord.Type.SNAPSHOT_MARKER) {
        SnapshotMetadata m;
        try {
          m = WalRecord.decodeMarker(record.payload());
        } catch (IllegalArgumentException e) {
          throw new CorruptWalException(file, record.offset(), e.getMessage());
        }
        if (m.index() > newest.index()) {
          newest = m;
        }
      }
    }
    return newest;
  }

  void apply(Path file, WalReader.Framed record) throws CorruptWalException {
    try {
      switch (record.type()) {
        case ENTRY -> append(WalRecord.decodeEntry(record.payload()));
        case HARD_STATE -> hardState = WalRecord.decodeHardState(record.payload());
        case SNAPSHOT_MARKER -> {} // Taken into account by newestMarker, before replay.
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
}
