package io.raftwatch.raftkv.mvcc;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * The store's disk: ordered byte-key buckets with batched write transactions (etcd {@code
 * backend}). Writes go into a pending batch that becomes durable at {@link #commit()}, which the
 * store calls through {@link #maybeCommit()} once the batch holds the batch limit of operations,
 * and the caller's timer calls directly (etcd commits every 100 ms). Reads see pending writes.
 * Every commit is timed into {@code etcd_disk_backend_commit_duration_seconds}.
 *
 * <p>Not thread-safe: the apply thread that owns the {@link KvStore} calls it, and nothing else.
 * Implementations throw unchecked exceptions when the disk fails ({@link
 * java.io.UncheckedIOException}, or lmdbjava's {@code LmdbException}, e.g. when the map is full);
 * that is fatal to the member, as in etcd, so the server enforces its space quota first.
 */
public interface Backend extends AutoCloseable {
  /** Visits entries of a range scan; returns false to stop. */
  @FunctionalInterface
  interface Visitor {
    boolean visit(byte[] key, byte[] value);
  }

  void put(Bucket bucket, byte[] key, byte[] value);

  /** The value, or null when the key is absent. */
  byte[] get(Bucket bucket, byte[] key);

  void delete(Bucket bucket, byte[] key);

  /**
   * Visits the keys in [from, to) in unsigned byte order; a null {@code to} means no upper bound.
   */
  void range(Bucket bucket, byte[] from, byte[] to, Visitor visitor);

  /** Operations in the pending batch. */
  int pendingOps();

  /** Makes the pending batch durable; a no-op batch is not timed. */
  void commit();

  /** Commits when the pending batch reached the batch limit; returns whether it did. */
  boolean maybeCommit();

  /** Bytes the database occupies on disk (etcd_mvcc_db_total_size_in_bytes). */
  long size();

  /**
   * Bytes holding live data, the rest being free pages (etcd_mvcc_db_total_size_in_use_in_bytes).
   */
  long sizeInUse();

  /** Commits, then writes every bucket to out in {@link BackendSnapshot}'s format. */
  void snapshot(OutputStream out) throws IOException;

  /** Replaces the whole content with a snapshot written by {@link #snapshot}, and commits. */
  void restore(InputStream in) throws IOException;

  /** Commits, then rewrites the database without free space; timed into the defrag histogram. */
  void defragment();

  @Override
  void close();
}
