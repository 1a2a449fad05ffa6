package io.raftwatch.raftkv.mvcc;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * One write transaction of a {@link KvStore} (etcd {@code storeTxnWrite}): all its changes share
 * the main revision {@code begin + 1} and take sub revisions 0, 1, 2... in order; a transaction
 * that changes nothing takes no revision. Reads inside it see its own earlier writes. The etcd Txn
 * request (compares, then one branch of ops) runs as one of these. Apply thread only; {@link
 * #close()} ends it and must be called, normally by try-with-resources.
 */
public final class WriteTxn implements AutoCloseable {
  private final KvStore store;
  private final long beginRevision;
  private final List<Event> events = new ArrayList<>();
  private int ranges;
  private int puts;
  private int deletes;
  private boolean closed;

  WriteTxn(KvStore store, long beginRevision) {
    this.store = store;
    this.beginRevision = beginRevision;
  }

  /** The revision this transaction ends at: begin + 1 if it changed anything, else begin. */
  public long revisionAfter() {
    return events.isEmpty() ? beginRevision : beginRevision + 1;
  }

  private long writeRevision() {
    return beginRevision + 1;
  }

  private void checkOpen() {
    if (closed) {
      throw new IllegalStateException("mvcc: write transaction already ended");
    }
  }

  /** A range read inside the transaction, at its own revision by default. */
  public RangeResult range(byte[] key, byte[] end, RangeOptions options) {
    checkOpen();
    ranges++;
    return store.rangeAt(key, end, options, revisionAfter());
  }

  /**
   * Puts value under key with the given lease (0: none); returns the revision. Throws {@link
   * LeaseNotFoundException}, changing nothing, when the lease is unknown. The store keeps both
   * arrays as they are (the watchers' events and the index hold them), so the caller hands them
   * over and must not change them afterwards.
   */
  public long put(byte[] key, byte[] value, long lease) {
    checkOpen();
    if (lease != 0 && !store.lessor.contains(lease)) {
      throw new LeaseNotFoundException(lease);
    }
    long rev = writeRevision();
    Optional<KeyIndex.Found> prev = store.index.get(key, rev);
    long created = prev.map(f -> f.created().main()).orElse(rev);
    long version = prev.map(f -> f.version() + 1).orElse(1L);
    long oldLease = prev.isPresent() ? store.lessor.leaseOf(key) : 0;
    KeyValue kv = new KeyValue(key, created, rev, version, value, lease);
    Revision r = new Revision(rev, events.size());
    store.backend.put(Bucket.KEY, r.toBytes(false), KeyValueCodec.encode(kv));
    store.index.put(kv.key(), r);
    if (prev.isEmpty()) {
      store.keyCreated();
    }
    if (oldLease != lease) {
      if (oldLease != 0) {
        store.lessor.detach(oldLease, kv.key());
      }
      if (lease != 0) {
        store.lessor.attach(lease, kv.key());
      }
    }
    events.add(new Event(Event.Type.PUT, kv, null));
    puts++;
    return rev;
  }

  /** Deletes every key in the range (etcd conventions for end); returns their last versions. */
  public DeleteResult deleteRange(byte[] key, byte[] end) {
    checkOpen();
    deletes++;
    long rev = writeRevision();
    long[] total = new long[1];
    List<TreeIndex.KeyRevision> live = store.index.revisions(key, end, rev, 0, total);
    List<KeyValue> prevKvs = new ArrayList<>(live.size());
    for (TreeIndex.KeyRevision kr : live) {
      KeyValue prev = store.readVersion(kr.found().modified());
      prevKvs.add(prev);
      Revision r = new Revision(rev, events.size());
      // etcd stores a tombstone as a KeyValue holding only the key, under the marked revision.
      store.backend.put(
          Bucket.KEY, r.toBytes(true), KeyValueCodec.encode(KeyValue.tombstone(kr.key(), 0)));
      store.index.tombstone(kr.key(), r);
      store.keyDeleted();
      if (prev.lease() != 0) {
        store.lessor.detach(prev.lease(), kr.key());
      }
      events.add(new Event(Event.Type.DELETE, KeyValue.tombstone(kr.key(), rev), null));
    }
    return new DeleteResult(prevKvs.size(), prevKvs, revisionAfter());
  }

  /** Ends the transaction: the store moves to its revision and observers see its events. */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    store.endTxn(this, List.copyOf(events), ranges, puts, deletes);
  }
}
