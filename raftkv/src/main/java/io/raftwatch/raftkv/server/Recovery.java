package io.raftwatch.raftkv.server;

import io.raftwatch.raftkv.raft.ConfState;
import io.raftwatch.raftkv.raft.MemoryStorage;
import io.raftwatch.raftkv.raft.Snapshot;
import io.raftwatch.raftkv.raft.SnapshotMetadata;
import io.raftwatch.raftkv.storage.Snapshotter;
import io.raftwatch.raftkv.storage.Wal;
import io.raftwatch.raftkv.storage.WalContents;
import java.io.IOException;
import java.util.Optional;
import java.util.function.LongFunction;

/**
 * Rebuilds a member's Raft storage and state machine from its data directory at start, or
 * bootstraps a founding member of a new cluster. Runs once, before the raft loop starts.
 */
public final class Recovery {
  private Recovery() {}

  /**
   * What a member starts from.
   *
   * @param storage the Raft log as persisted
   * @param appliedIndex what the state machine already holds (the snapshot's index)
   */
  public record Recovered(MemoryStorage storage, long appliedIndex) {}

  /**
   * Loads what {@code wal} and {@code snapshotter} hold into storage and {@code stateMachine}; if
   * they hold nothing and {@code initialCluster} is non-empty, founds a cluster of those members
   * and persists that first.
   *
   * @throws IllegalStateException if the snapshot files and the WAL do not fit together
   */
  public static Recovered load(
      Wal wal, Snapshotter snapshotter, StateMachine stateMachine, ConfState initialCluster)
      throws IOException {
    return load(wal, snapshotter, stateMachine, initialCluster, id -> new byte[0]);
  }

  /**
   * As {@link #load(Wal, Snapshotter, StateMachine, ConfState)}; a founding member's first entries
   * carry {@code founder.apply(id)} as each initial member's ConfChange context (etcd puts the
   * member's name and peer URLs there), so every member learns the founders' attributes from the
   * log.
   */
  public static Recovered load(
      Wal wal,
      Snapshotter snapshotter,
      StateMachine stateMachine,
      ConfState initialCluster,
      LongFunction<byte[]> founder)
      throws IOException {
    WalContents wal0 = wal.recovered();
    Optional<Snapshot> snap = snapshotter.loadNewest();
    boolean empty =
        wal0.hardState().isEmpty() && wal0.entries().isEmpty() && snap.isEmpty()
            && wal0.snapshot().confState().voters().isEmpty();
    if (empty && !initialCluster.voters().isEmpty()) {
      MemoryStorage storage = MemoryStorage.bootstrap(initialCluster, id -> RaftLoop.context(0, founder.apply(id)));
      // The marker at index 0 records the founding membership, so a restart before the first
      // snapshot knows it without re-applying the log.
      wal.saveSnapshotMarker(new SnapshotMetadata(0, 0, initialCluster));
      wal.save(storage.hardState(), MemoryStorage.bootstrapEntries(initialCluster,
          id -> RaftLoop.context(0, founder.apply(id))));
      return new Recovered(storage, 0);
    }
    MemoryStorage storage = new MemoryStorage();
    long marker = wal0.snapshot().index();
    long applied = 0;
    if (snap.isPresent()) {
      Snapshot s = snap.get();
      if (s.metadata().index() < marker) {
        throw new IllegalStateException("the newest readable snapshot is at index "
            + s.metadata().index() + " but the WAL was compacted up to " + marker
            + "; the entries in between are gone");
      }
      storage.applySnapshot(s);
      stateMachine.restore(s);
      applied = s.metadata().index();
    } else if (marker > 0) {
      throw new IllegalStateException(
          "the WAL was compacted up to snapshot " + marker + " but no snapshot file is readable");
    } else if (!wal0.snapshot().confState().voters().isEmpty()) {
      storage.applySnapshot(new Snapshot(wal0.snapshot(), new byte[0]));
    }
    storage.append(wal0.entries());
    storage.setHardState(wal0.hardState());
    return new Recovered(storage, applied);
  }
}
