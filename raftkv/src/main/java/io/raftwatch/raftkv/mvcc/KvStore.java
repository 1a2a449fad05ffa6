package io.raftwatch.raftkv.mvcc;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.zip.CRC32C;

/**
 * The multi-version key-value store (etcd {@code mvcc.store}): every write transaction gets the
 * next main revision, each change inside it the next sub revision; every version and tombstone
 * lives in the backend's "key" bucket under its revision, and {@link TreeIndex} maps keys to
 * revisions, so reads at an old revision work until {@link #compact} drops that history.
 *
 * <p>The server's apply thread owns it: it is not thread-safe, never blocks on anything but the
 * backend, reads no clock and knows nothing of Raft. The server stores the applied Raft index with
 * {@link #setConsistentIndex} before ending each write, so it commits in the same batch.
 */
public final class KvStore {
  /** Sees every write transaction that changed something, after it ended; the apply thread. */
  @FunctionalInterface
  public interface TxnObserver {
    void onTxnEnd(long revision, List<Event> events);
  }

  /** Visits history in revision order: the revision, whether it is a tombstone, the version. */
  @FunctionalInterface
  interface HistoryVisitor {
    boolean visit(Revision rev, boolean tombstone, KeyValue kv);
  }

  static final byte[] CONSISTENT_INDEX = "consistent_index".getBytes(StandardCharsets.UTF_8);
  static final byte[] SCHEDULED_COMPACT = "scheduledCompactRev".getBytes(StandardCharsets.UTF_8);
  static final byte[] FINISHED_COMPACT = "finishedCompactRev".getBytes(StandardCharsets.UTF_8);

  final Backend backend;
  final TreeIndex index = new TreeIndex();
  final Lessor lessor;
  final MvccMetrics metrics;
  private final List<TxnObserver> observers = new ArrayList<>();
  // Invariant: currentRevision >= compactRevision. etcd starts an empty store at revision 1.
  private long currentRevision = 1;
  // -1 until the first compaction.
  private long compactRevision = -1;
  private long consistentIndex;
  private long liveKeys;
  private WriteTxn openTxn;

  /** Opens the store on backend, rebuilding the index and the lessor's key sets from it. */
  public KvStore(Backend backend, Lessor lessor, MvccMetrics metrics) {
    this.backend = backend;
    this.lessor = lessor;
    this.metrics = metrics;
    restore();
  }

  private void restore() {
    consistentIndex = readMeta(CONSISTENT_INDEX).orElse(0L);
    long finished = readMeta(FINISHED_COMPACT).orElse(-1L);
    long scheduled = readMeta(SCHEDULED_COMPACT).orElse(-1L);
    compactRevision = finished;
    long[] maxMain = {1};
    visitHistory(
        0,
        Long.MAX_VALUE,
        (rev, tombstone, kv) -> {
          index.restore(kv, rev, tombstone);
          maxMain[0] = Math.max(maxMain[0], rev.main());
          return true;
        });
    currentRevision = Math.max(maxMain[0], Math.max(compactRevision, 1));
    liveKeys = index.liveKeyCount();
    // Only a key's newest version holds it to a lease.
    long[] total = new long[1];
    for (TreeIndex.KeyRevision kr :
        index.revisions(new byte[0], new byte[] {0}, currentRevision, 0, total)) {
      KeyValue kv = readVersion(kr.found().modified());
      if (kv.lease() != 0) {
        lessor.attachOnRestore(kv.lease(), kv.key());
      }
    }
    if (scheduled > finished) {
      // A compaction was interrupted by a crash: finish it, as etcd's restore does.
      compact(scheduled);
    }
    updateGauges();
  }

  private Optional<Long> readMeta(byte[] key) {
    byte[] v = backend.get(Bucket.META, key);
    return v == null ? Optional.empty() : Optional.of(ByteBuffer.wrap(v).getLong());
  }

  private void writeMeta(byte[] key, long value) {
    backend.put(Bucket.META, key, ByteBuffer.allocate(8).putLong(value).array());
  }

  public void addObserver(TxnObserver observer) {
    observers.add(observer);
  }

  public long currentRevision() {
    return currentRevision;
  }

  /** The revision of the last compaction, -1 if none. */
  public long compactRevision() {
    return compactRevision;
  }

  /** The last Raft index applied, as restored from the backend or last set. */
  public long consistentIndex() {
    return consistentIndex;
  }

  /** Records the Raft index being applied; written into the pending batch with the txn's writes. */
  public void setConsistentIndex(long index) {
    consistentIndex = index;
    writeMeta(CONSISTENT_INDEX, index);
  }

  /** Starts a write transaction; only one may be open, and it must be ended. */
  public WriteTxn write() {
    if (openTxn != null) {
      throw new IllegalStateException("mvcc: a write transaction is already open");
    }
    openTxn = new WriteTxn(this, currentRevision);
    return openTxn;
  }

  /** A read of its own (etcd's read txn with one range). */
  public RangeResult range(byte[] key, byte[] end, RangeOptions options) {
    metrics.rangeTotal.inc();
    return rangeAt(key, end, options, currentRevision);
  }

  /** One put in a transaction of its own; returns its revision. Takes over both arrays. */
  public long put(byte[] key, byte[] value, long lease) {
    try (WriteTxn txn = write()) {
      return txn.put(key, value, lease);
    }
  }

  /** One delete-range in a transaction of its own. */
  public DeleteResult deleteRange(byte[] key, byte[] end) {
    try (WriteTxn txn = write()) {
      return txn.deleteRange(key, end);
    }
  }

  /** Deletes the lease's keys in one write transaction and forgets the lease (etcd Revoke). */
  public DeleteResult revokeLease(long leaseId) {
    List<byte[]> keys = lessor.keysOf(leaseId);
    List<KeyValue> prev = new ArrayList<>();
    long rev;
    try (WriteTxn txn = write()) {
      for (byte[] key : keys) {
        prev.addAll(txn.deleteRange(key, null).prevKvs());
      }
      lessor.revoke(leaseId);
      rev = txn.revisionAfter();
    }
    return new DeleteResult(prev.size(), prev, rev);
  }

  RangeResult rangeAt(byte[] key, byte[] end, RangeOptions options, long storeRev) {
    long rev = options.revision();
    if (rev > storeRev) {
      throw new FutureRevisionException();
    }
    if (rev <= 0) {
      rev = storeRev;
    }
    if (rev < compactRevision) {
      throw new CompactedException(compactRevision);
    }
    if (options.countOnly()) {
      return new RangeResult(List.of(), index.countRevisions(key, end, rev), currentRevision);
    }
    long[] total = new long[1];
    List<TreeIndex.KeyRevision> found = index.revisions(key, end, rev, options.limit(), total);
    List<KeyValue> kvs = new ArrayList<>(found.size());
    for (TreeIndex.KeyRevision kr : found) {
      KeyValue kv = readVersion(kr.found().modified());
      kvs.add(options.keysOnly() ? kv.withoutValue() : kv);
    }
    return new RangeResult(kvs, total[0], currentRevision);
  }

  KeyValue readVersion(Revision rev) {
    byte[] v = backend.get(Bucket.KEY, rev.toBytes(false));
    if (v == null) {
      throw new IllegalStateException(
          "mvcc: index names revision " + rev + " missing from backend");
    }
    return KeyValueCodec.decode(v);
  }

  /** The version of key visible at rev, if any; counts no metric. For prev_kv. */
  Optional<KeyValue> versionAt(byte[] key, long rev) {
    if (rev < compactRevision || rev <= 0) {
      return Optional.empty();
    }
    return index.get(key, rev).map(f -> readVersion(f.modified()));
  }

  /** Visits the backend's history with main revisions in [fromMain, toMain). */
  void visitHistory(long fromMain, long toMain, HistoryVisitor visitor) {
    byte[] to = toMain == Long.MAX_VALUE ? null : Revision.startOf(toMain);
    backend.range(
        Bucket.KEY,
        Revision.startOf(fromMain),
        to,
        (k, v) ->
            visitor.visit(Revision.fromBytes(k), Revision.isTombstone(k), KeyValueCodec.decode(v)));
  }

  /** Called by {@link WriteTxn#close()}. */
  void endTxn(WriteTxn txn, List<Event> events, int ranges, int puts, int deletes) {
    openTxn = null;
    if (ranges + puts + deletes > 1) {
      metrics.txnTotal.inc();
    }
    metrics.rangeTotal.inc(ranges);
    metrics.putTotal.inc(puts);
    metrics.deleteTotal.inc(deletes);
    if (events.isEmpty()) {
      return;
    }
    currentRevision = txn.revisionAfter();
    backend.maybeCommit();
    updateGauges();
    for (TxnObserver o : observers) {
      o.onTxnEnd(currentRevision, events);
    }
  }

  void keyCreated() {
    liveKeys++;
  }

  void keyDeleted() {
    liveKeys--;
  }

  private void updateGauges() {
    metrics.currentRevision.set(currentRevision);
    metrics.compactRevision.set(Math.max(compactRevision, 0));
    metrics.keysTotal.set(liveKeys);
  }

  /**
   * Drops history older than rev: afterwards a read below rev fails with {@link
   * CompactedException}, while every key's version at rev stays readable (etcd Compact). Runs to
   * completion here; the deletions may span several backend batches, and a crash in between is
   * finished on restart.
   */
  public void compact(long rev) {
    if (rev <= compactRevision) {
      throw new CompactedException(compactRevision);
    }
    if (rev > currentRevision) {
      throw new FutureRevisionException();
    }
    compactRevision = rev;
    writeMeta(SCHEDULED_COMPACT, rev);
    Set<Revision> keep = index.compact(rev);
    List<byte[]> doomed = new ArrayList<>();
    visitHistory(
        0,
        rev + 1,
        (r, tombstone, kv) -> {
          if (!keep.contains(r)) {
            doomed.add(r.toBytes(tombstone));
          }
          return true;
        });
    for (byte[] k : doomed) {
      backend.delete(Bucket.KEY, k);
      backend.maybeCommit();
    }
    writeMeta(FINISHED_COMPACT, rev);
    backend.maybeCommit();
    updateGauges();
  }

  /**
   * etcd's HashByRev: CRC32C over the "key" bucket's name and every key and value of the revisions
   * a compaction at rev would keep, up to rev (0: the current revision). The values are encoded as
   * etcd encodes them, so the same history hashes the same as on etcd.
   */
  public HashResult hashKv(long rev) {
    if (rev > 0 && rev <= compactRevision) {
      throw new CompactedException(compactRevision);
    }
    if (rev > currentRevision) {
      throw new FutureRevisionException();
    }
    if (rev <= 0) {
      rev = currentRevision;
    }
    Set<Revision> keep = index.keep(rev);
    Revision lower = new Revision(compactRevision + 1, 0);
    CRC32C crc = new CRC32C();
    crc.update(Bucket.KEY.nameBytes());
    backend.range(
        Bucket.KEY,
        new byte[0],
        Revision.startOf(rev + 1),
        (k, v) -> {
          Revision r = Revision.fromBytes(k);
          if (r.compareTo(lower) < 0 && !keep.isEmpty() && !keep.contains(r)) {
            return true;
          }
          crc.update(k);
          crc.update(v);
          return true;
        });
    return new HashResult((int) crc.getValue(), currentRevision, compactRevision);
  }

  /**
   * etcd's backend Hash: CRC32C over every bucket of this store, in name order, each bucket's name
   * then its keys and values, leaving out meta/consistent_index (which differs between members).
   * raftkv's own: etcd hashes its bbolt pages' bytes with CRC32 (Castagnoli) too, but over its own
   * bucket layout (auth, alarm, ...), so the numbers never match etcd's.
   */
  public HashResult hash() {
    CRC32C crc = new CRC32C();
    List<Bucket> byName = new ArrayList<>(List.of(Bucket.values()));
    byName.sort(Comparator.comparing(Bucket::bucketName));
    for (Bucket b : byName) {
      crc.update(b.nameBytes());
      backend.range(
          b,
          new byte[0],
          null,
          (k, v) -> {
            if (!(b == Bucket.META && java.util.Arrays.equals(k, CONSISTENT_INDEX))) {
              crc.update(k);
              crc.update(v);
            }
            return true;
          });
    }
    return new HashResult((int) crc.getValue(), currentRevision, compactRevision);
  }

  /** Commits the backend's pending batch; the caller's timer calls it (etcd: every 100 ms). */
  public void commit() {
    backend.commit();
  }
}
