package io.raftwatch.raftkv.mvcc;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.function.LongSupplier;

/**
 * A {@link Backend} in memory, for logic tests and the naive twin of {@link LmdbBackend}. Nothing
 * is durable; a commit only counts. Its size is the high-water mark of live bytes since the last
 * defragmentation, its size in use the live bytes, so the gauges move as a B+tree file's would.
 */
public final class MemoryBackend extends BatchedBackend {
  private final Map<Bucket, NavigableMap<byte[], byte[]>> buckets = new EnumMap<>(Bucket.class);
  private long liveBytes;
  private long highWaterBytes;

  public MemoryBackend(MvccMetrics metrics) {
    this(DEFAULT_BATCH_LIMIT, metrics, System::nanoTime);
  }

  public MemoryBackend(int batchLimit, MvccMetrics metrics, LongSupplier nanoTime) {
    super(batchLimit, metrics, nanoTime);
    for (Bucket b : Bucket.values()) {
      buckets.put(b, new TreeMap<>(Arrays::compareUnsigned));
    }
  }

  @Override
  public void put(Bucket bucket, byte[] key, byte[] value) {
    byte[] old = buckets.get(bucket).put(key.clone(), value.clone());
    liveBytes += key.length + value.length - (old == null ? 0 : key.length + old.length);
    highWaterBytes = Math.max(highWaterBytes, liveBytes);
    countWrite();
  }

  @Override
  public byte[] get(Bucket bucket, byte[] key) {
    byte[] v = buckets.get(bucket).get(key);
    return v == null ? null : v.clone();
  }

  @Override
  public void delete(Bucket bucket, byte[] key) {
    byte[] old = buckets.get(bucket).remove(key);
    if (old != null) {
      liveBytes -= key.length + old.length;
    }
    countWrite();
  }

  @Override
  public void range(Bucket bucket, byte[] from, byte[] to, Visitor visitor) {
    NavigableMap<byte[], byte[]> m = buckets.get(bucket);
    NavigableMap<byte[], byte[]> view =
        to == null ? m.tailMap(from, true) : m.subMap(from, true, to, false);
    for (Map.Entry<byte[], byte[]> e : view.entrySet()) {
      if (!visitor.visit(e.getKey().clone(), e.getValue().clone())) {
        return;
      }
    }
  }

  @Override
  void commitBatch() {
    // In memory every write is already visible; there is nothing to flush.
  }

  @Override
  void compactFile() {
    highWaterBytes = liveBytes;
  }

  @Override
  public long size() {
    return highWaterBytes;
  }

  @Override
  public long sizeInUse() {
    return liveBytes;
  }

  @Override
  public void snapshot(OutputStream out) throws IOException {
    commit();
    BackendSnapshot.write(this, out);
  }

  @Override
  public void restore(InputStream in) throws IOException {
    List<BackendSnapshot.Entry> entries = BackendSnapshot.read(in);
    for (NavigableMap<byte[], byte[]> m : buckets.values()) {
      m.clear();
    }
    liveBytes = 0;
    for (BackendSnapshot.Entry e : entries) {
      put(e.bucket(), e.key(), e.value());
    }
    commit();
  }

  @Override
  public void close() {
    // Nothing to release.
  }
}
