package io.raftwatch.raftkv.storage;

/**
 * Tunables of a {@link Wal}, given to {@link Wal#open}.
 *
 * @param segmentBytes a new segment is started before a write once the current one holds at least
 *     this many bytes (so a segment may exceed it by one write); etcd's default is 64 MiB
 */
public record WalOptions(long segmentBytes) {
  public static final long DEFAULT_SEGMENT_BYTES = 64L * 1024 * 1024;

  public WalOptions {
    if (segmentBytes <= 0) {
      throw new IllegalArgumentException("segmentBytes must be positive, got " + segmentBytes);
    }
  }

  public static WalOptions defaults() {
    return new WalOptions(DEFAULT_SEGMENT_BYTES);
  }
}
