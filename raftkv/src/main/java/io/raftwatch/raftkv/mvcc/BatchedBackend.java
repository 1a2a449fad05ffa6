package io.raftwatch.raftkv.mvcc;

import java.util.function.LongSupplier;

/**
 * What both backends share: counting the pending batch, committing it at the batch limit, and
 * timing commits and defragmentation into {@link MvccMetrics}. Subclasses do the storage.
 * Single-threaded like {@link Backend}.
 */
abstract class BatchedBackend implements Backend {
  /** etcd's defaultBatchLimit. */
  static final int DEFAULT_BATCH_LIMIT = 10_000;

  private final int batchLimit;
  private final MvccMetrics metrics;
  // Nanoseconds, monotonic; only for the duration histograms.
  private final LongSupplier nanoTime;
  private int pending;

  BatchedBackend(int batchLimit, MvccMetrics metrics, LongSupplier nanoTime) {
    if (batchLimit < 1) {
      throw new IllegalArgumentException("batch limit must be >= 1, got " + batchLimit);
    }
    this.batchLimit = batchLimit;
    this.metrics = metrics;
    this.nanoTime = nanoTime;
  }

  /** Counts one write into the pending batch. */
  final void countWrite() {
    pending++;
  }

  @Override
  public final int pendingOps() {
    return pending;
  }

  @Override
  public final boolean maybeCommit() {
    if (pending >= batchLimit) {
      commit();
      return true;
    }
    return false;
  }

  @Override
  public final void commit() {
    if (pending == 0) {
      return;
    }
    long start = nanoTime.getAsLong();
    commitBatch();
    metrics.commitDuration.observe((nanoTime.getAsLong() - start) / 1e9);
    pending = 0;
    metrics.observeSize(size(), sizeInUse());
  }

  @Override
  public final void defragment() {
    commit();
    long start = nanoTime.getAsLong();
    compactFile();
    metrics.defragDuration.observe((nanoTime.getAsLong() - start) / 1e9);
    metrics.observeSize(size(), sizeInUse());
  }

  /** Makes the pending writes durable. */
  abstract void commitBatch();

  /** Rewrites the storage without free space; nothing is pending. */
  abstract void compactFile();
}
