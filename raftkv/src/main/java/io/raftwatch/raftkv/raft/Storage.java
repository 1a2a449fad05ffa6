package io.raftwatch.raftkv.raft;

import java.util.List;

/**
 * The stable part of the log, as the core reads it. The driver writes to it (after the WAL made
 * the same data durable); the core only reads. Implementations are called on the driving thread
 * and must not block on I/O for long: {@link MemoryStorage} keeps everything in memory.
 *
 * <p>Contract (etcd-io/raft storage.go): entries are contiguous from {@link #firstIndex()} to
 * {@link #lastIndex()}; the entry just before {@code firstIndex()} is covered by the snapshot,
 * whose term {@link #term(long)} still answers.
 */
public interface Storage {

  /** The persisted hard state and the membership to start from. */
  InitialState initialState();

  /**
   * Entries in [{@code lo}, {@code hi}), at least one if the range is non-empty, and no more than
   * {@code maxSize} bytes beyond the first.
   *
   * @throws CompactedException if {@code lo} is covered by the snapshot
   */
  List<Entry> entries(long lo, long hi, long maxSize);

  /**
   * Term of the entry at {@code index}, for index in [firstIndex-1, lastIndex].
   *
   * @throws CompactedException below that range
   * @throws UnavailableException above it
   */
  long term(long index);

  long firstIndex();

  long lastIndex();

  /** The most recent snapshot, to send to a follower that lags behind {@link #firstIndex()}. */
  Snapshot snapshot();

  /** What a restarted node starts from. */
  record InitialState(HardState hardState, ConfState confState) {}
}
