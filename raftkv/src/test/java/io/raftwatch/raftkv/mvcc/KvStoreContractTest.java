package io.raftwatch.raftkv.mvcc;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.prometheus.client.CollectorRegistry;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * etcd's store semantics, one by one, run against each backend by the subclasses. Expected values
 * are what etcd 3.4 answers for the same requests.
 */
abstract class KvStoreContractTest {
  CollectorRegistry registry;
  MvccMetrics metrics;
  Backend backend;
  Lessor lessor;
  KvStore kv;

  abstract Backend newBackend(MvccMetrics metrics);

  @BeforeEach
  void open() {
    registry = new CollectorRegistry();
    metrics = new MvccMetrics(registry);
    backend = newBackend(metrics);
    lessor = new Lessor(backend, 5);
    kv = new KvStore(backend, lessor, metrics);
  }

  @AfterEach
  void close() {
    backend.close();
  }

  static byte[] b(String s) {
    return s.getBytes(UTF_8);
  }

  static String s(byte[] b) {
    return new String(b, UTF_8);
  }

  static List<String> keys(RangeResult r) {
    return r.kvs().stream().map(kv -> s(kv.key())).toList();
  }

  KeyValue get(String key) {
    List<KeyValue> kvs = kv.range(b(key), null, RangeOptions.DEFAULT).kvs();
    return kvs.isEmpty() ? null : kvs.get(0);
  }

  double metric(String name) {
    Double v = registry.getSampleValue(name);
    return v == null ? Double.NaN : v;
  }

  @Test
  void emptyStoreIsAtRevisionOne() {
    RangeResult r = kv.range(b("a"), null, RangeOptions.DEFAULT);
    assertThat(r.kvs()).isEmpty();
    assertThat(r.count()).isZero();
    assertThat(r.revision()).isEqualTo(1);
  }

  @Test
  void putsAdvanceRevisionAndVersion() {
    assertThat(kv.put(b("foo"), b("bar"), 0)).isEqualTo(2);
    assertThat(kv.put(b("foo"), b("baz"), 0)).isEqualTo(3);
    assertThat(get("foo")).isEqualTo(new KeyValue(b("foo"), 2, 3, 2, b("baz"), 0));
    assertThat(kv.currentRevision()).isEqualTo(3);
  }

  @Test
  void deleteThenRecreateStartsANewGeneration() {
    kv.put(b("foo"), b("1"), 0); // rev 2
    kv.put(b("foo"), b("2"), 0); // rev 3
    DeleteResult d = kv.deleteRange(b("foo"), null); // rev 4
    assertThat(d.deleted()).isEqualTo(1);
    assertThat(d.prevKvs()).containsExactly(new KeyValue(b("foo"), 2, 3, 2, b("2"), 0));
    assertThat(d.revision()).isEqualTo(4);
    assertThat(get("foo")).isNull();
    kv.put(b("foo"), b("3"), 0); // rev 5
    assertThat(get("foo")).isEqualTo(new KeyValue(b("foo"), 5, 5, 1, b("3"), 0));
  }

  @Test
  void deletingNothingTakesNoRevision() {
    kv.put(b("a"), b("1"), 0);
    DeleteResult d = kv.deleteRange(b("zzz"), null);
    assertThat(d.deleted()).isZero();
    assertThat(kv.currentRevision()).isEqualTo(2);
  }

  @Test
  void rangeEndsFollowEtcd() {
    for (String k : List.of("a", "foo", "foo/1", "foo/2", "fop", "z")) {
      kv.put(b(k), b("v"), 0);
    }
    assertThat(keys(kv.range(b("foo"), null, RangeOptions.DEFAULT))).containsExactly("foo");
    assertThat(keys(kv.range(b("foo/"), b("foo0"), RangeOptions.DEFAULT)))
        .containsExactly("foo/1", "foo/2");
    assertThat(keys(kv.range(b("foo"), new byte[] {0}, RangeOptions.DEFAULT)))
        .containsExactly("foo", "foo/1", "foo/2", "fop", "z");
    assertThat(keys(kv.range(new byte[] {0}, new byte[] {0}, RangeOptions.DEFAULT)))
        .containsExactly("a", "foo", "foo/1", "foo/2", "fop", "z");
    assertThat(keys(kv.range(b("z"), b("a"), RangeOptions.DEFAULT))).isEmpty();
  }

  @Test
  void limitCutsKvsButCountCountsAll() {
    for (String k : List.of("a", "b", "c", "d")) {
      kv.put(b(k), b("v"), 0);
    }
    RangeResult r = kv.range(b("a"), new byte[] {0}, RangeOptions.DEFAULT.withLimit(2));
    assertThat(keys(r)).containsExactly("a", "b");
    assertThat(r.count()).isEqualTo(4);
    RangeResult c = kv.range(b("a"), new byte[] {0}, new RangeOptions(0, 0, true, false));
    assertThat(c.kvs()).isEmpty();
    assertThat(c.count()).isEqualTo(4);
    RangeResult k = kv.range(b("a"), null, new RangeOptions(0, 0, false, true));
    assertThat(k.kvs().get(0).value()).isEmpty();
    assertThat(k.kvs().get(0).modRevision()).isEqualTo(2);
  }

  @Test
  void readsAtOldRevisionsSeeOldVersions() {
    kv.put(b("k"), b("v1"), 0); // 2
    kv.put(b("k"), b("v2"), 0); // 3
    kv.deleteRange(b("k"), null); // 4
    kv.put(b("k"), b("v3"), 0); // 5
    assertThat(kv.range(b("k"), null, RangeOptions.atRevision(1)).kvs()).isEmpty();
    assertThat(kv.range(b("k"), null, RangeOptions.atRevision(2)).kvs())
        .containsExactly(new KeyValue(b("k"), 2, 2, 1, b("v1"), 0));
    assertThat(kv.range(b("k"), null, RangeOptions.atRevision(3)).kvs())
        .containsExactly(new KeyValue(b("k"), 2, 3, 2, b("v2"), 0));
    assertThat(kv.range(b("k"), null, RangeOptions.atRevision(4)).kvs()).isEmpty();
    RangeResult r = kv.range(b("k"), null, RangeOptions.atRevision(5));
    assertThat(r.kvs()).containsExactly(new KeyValue(b("k"), 5, 5, 1, b("v3"), 0));
    assertThat(r.revision()).isEqualTo(5);
  }

  @Test
  void futureAndCompactedRevisionsAreTypedErrors() {
    kv.put(b("k"), b("v1"), 0); // 2
    kv.put(b("k"), b("v2"), 0); // 3
    kv.put(b("k"), b("v3"), 0); // 4
    assertThatThrownBy(() -> kv.range(b("k"), null, RangeOptions.atRevision(5)))
        .isInstanceOf(FutureRevisionException.class)
        .hasMessage("mvcc: required revision is a future revision");
    kv.compact(3);
    assertThatThrownBy(() -> kv.range(b("k"), null, RangeOptions.atRevision(2)))
        .isInstanceOf(CompactedException.class)
        .hasMessage("mvcc: required revision has been compacted");
    // The compacted revision itself stays readable, as in etcd.
    assertThat(kv.range(b("k"), null, RangeOptions.atRevision(3)).kvs().get(0).value())
        .isEqualTo(b("v2"));
    assertThatThrownBy(() -> kv.compact(3)).isInstanceOf(CompactedException.class);
    assertThatThrownBy(() -> kv.compact(9)).isInstanceOf(FutureRevisionException.class);
    assertThat(kv.compactRevision()).isEqualTo(3);
    assertThat(metric("etcd_debugging_mvcc_compact_revision")).isEqualTo(3);
  }

  @Test
  void compactionRemovesDeletedKeysAndOldVersionsFromBackend() {
    kv.put(b("gone"), b("x"), 0); // 2
    kv.deleteRange(b("gone"), null); // 3
    kv.put(b("kept"), b("1"), 0); // 4
    kv.put(b("kept"), b("2"), 0); // 5
    kv.compact(5);
    int[] rows = {0};
    backend.range(Bucket.KEY, new byte[0], null, (k, v) -> ++rows[0] > 0);
    assertThat(rows[0]).isEqualTo(1);
    assertThat(get("kept").version()).isEqualTo(2);
    assertThat(get("gone")).isNull();
  }

  @Test
  void txnGroupsOpsUnderOneRevisionWithIncreasingSubRevisions() {
    kv.put(b("a"), b("0"), 0); // 2
    long rev;
    try (WriteTxn txn = kv.write()) {
      txn.put(b("a"), b("1"), 0);
      txn.put(b("b"), b("1"), 0);
      // Reads in the txn see its own writes.
      assertThat(txn.range(b("b"), null, RangeOptions.DEFAULT).kvs()).hasSize(1);
      txn.deleteRange(b("a"), null);
      rev = txn.revisionAfter();
    }
    assertThat(rev).isEqualTo(3);
    assertThat(kv.currentRevision()).isEqualTo(3);
    assertThat(get("a")).isNull();
    assertThat(get("b")).isEqualTo(new KeyValue(b("b"), 3, 3, 1, b("1"), 0));
    List<String> subs = new java.util.ArrayList<>();
    kv.visitHistory(3, 4, (r, tomb, v) -> subs.add(r + (tomb ? "t" : "") + ":" + s(v.key())));
    assertThat(subs).containsExactly("3_0:a", "3_1:b", "3_2t:a");
    assertThat(metric("etcd_mvcc_txn_total")).isEqualTo(1);
    assertThat(metric("etcd_mvcc_put_total")).isEqualTo(3);
    assertThat(metric("etcd_mvcc_delete_total")).isEqualTo(1);
  }

  @Test
  void readOnlyTxnTakesNoRevision() {
    kv.put(b("a"), b("0"), 0);
    try (WriteTxn txn = kv.write()) {
      txn.range(b("a"), null, RangeOptions.DEFAULT);
    }
    assertThat(kv.currentRevision()).isEqualTo(2);
  }

  @Test
  void gaugesFollowTheStore() {
    kv.put(b("a"), b("1"), 0);
    kv.put(b("b"), b("1"), 0);
    kv.deleteRange(b("a"), null);
    kv.commit();
    assertThat(metric("etcd_debugging_mvcc_keys_total")).isEqualTo(1);
    assertThat(metric("etcd_debugging_mvcc_current_revision")).isEqualTo(4);
    assertThat(metric("etcd_disk_backend_commit_duration_seconds_count")).isEqualTo(1);
    assertThat(metric("etcd_mvcc_db_total_size_in_bytes")).isPositive();
    assertThat(metric("etcd_mvcc_db_total_size_in_use_in_bytes")).isPositive();
    assertThat(metric("etcd_debugging_mvcc_db_total_size_in_bytes"))
        .isEqualTo(metric("etcd_mvcc_db_total_size_in_bytes"));
  }

  @Test
  void hashKvIgnoresHistoryACompactionAtThatRevisionWouldDrop() {
    kv.put(b("a"), b("1"), 0);
    kv.put(b("a"), b("2"), 0);
    kv.put(b("b"), b("1"), 0);
    HashResult before = kv.hashKv(3);
    assertThat(before.compactRevision()).isEqualTo(-1);
    assertThat(kv.hashKv(0).hash()).isNotEqualTo(before.hash());
    kv.compact(3);
    assertThat(kv.hashKv(4).revision()).isEqualTo(4);
    assertThat(kv.hashKv(4).compactRevision()).isEqualTo(3);
    assertThatThrownBy(() -> kv.hashKv(3)).isInstanceOf(CompactedException.class);
    KvStore other = restoredCopy();
    assertThat(other.hashKv(0)).isEqualTo(kv.hashKv(0));
    assertThat(other.hash()).isEqualTo(kv.hash());
  }

  @Test
  void snapshotRestoresIntoAFreshBackend() {
    lessor.grant(7, 60, Instant.EPOCH);
    kv.put(b("a"), b("1"), 7);
    kv.put(b("b"), b("2"), 0);
    kv.setConsistentIndex(42);
    KvStore copy = restoredCopy();
    assertThat(copy.range(b("a"), new byte[] {0}, RangeOptions.DEFAULT))
        .isEqualTo(kv.range(b("a"), new byte[] {0}, RangeOptions.DEFAULT));
    assertThat(copy.consistentIndex()).isEqualTo(42);
    assertThat(copy.currentRevision()).isEqualTo(3);
  }

  private KvStore restoredCopy() {
    try {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      backend.snapshot(out);
      MemoryBackend fresh = new MemoryBackend(new MvccMetrics(new CollectorRegistry()));
      fresh.restore(new ByteArrayInputStream(out.toByteArray()));
      return new KvStore(fresh, new Lessor(fresh, 5), new MvccMetrics(new CollectorRegistry()));
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  @Test
  void defragmentKeepsDataAndShrinksToInUse() {
    for (int i = 0; i < 200; i++) {
      kv.put(b("k" + i), new byte[512], 0);
    }
    kv.deleteRange(b("k"), b("l"));
    kv.compact(kv.currentRevision());
    kv.put(b("x"), b("y"), 0);
    backend.defragment();
    assertThat(backend.size()).isLessThanOrEqualTo(backend.sizeInUse() + 4 * 4096);
    assertThat(get("x").value()).isEqualTo(b("y"));
    assertThat(metric("etcd_disk_backend_defrag_duration_seconds_count")).isEqualTo(1);
  }

  // ---- leases

  @Test
  void putAttachesKeysToLeaseAndRevokeDeletesThem() {
    lessor.promote(Instant.EPOCH);
    assertThat(lessor.grant(1, 10, Instant.EPOCH)).isEqualTo(10);
    kv.put(b("a"), b("1"), 1);
    kv.put(b("b"), b("1"), 1);
    kv.put(b("b"), b("2"), 0); // moving b off the lease detaches it
    assertThat(lessor.timeToLive(1, true, Instant.EPOCH).keys())
        .extracting(KvStoreContractTest::s)
        .containsExactly("a");
    DeleteResult d = kv.revokeLease(1);
    assertThat(d.deleted()).isEqualTo(1);
    assertThat(get("a")).isNull();
    assertThat(get("b")).isNotNull();
    assertThat(lessor.leases()).isEmpty();
  }

  @Test
  void aKeyMovesBetweenLeasesBeforeAndAfterARestart() {
    lessor.grant(1, 10, Instant.EPOCH);
    lessor.grant(2, 10, Instant.EPOCH);
    kv.put(b("a"), b("1"), 1);
    kv.put(b("a"), b("2"), 2);
    assertThat(keysOf(lessor, 1)).isEmpty();
    assertThat(keysOf(lessor, 2)).containsExactly("a");
    kv.commit();

    KvStore copy = restoredCopy();
    copy.put(b("a"), b("3"), 1);

    assertThat(keysOf(copy.lessor, 2)).isEmpty();
    assertThat(keysOf(copy.lessor, 1)).containsExactly("a");
  }

  private static List<String> keysOf(Lessor lessor, long lease) {
    return lessor.timeToLive(lease, true, Instant.EPOCH).keys().stream()
        .map(KvStoreContractTest::s)
        .toList();
  }

  @Test
  void putWithUnknownLeaseChangesNothing() {
    assertThatThrownBy(() -> kv.put(b("a"), b("1"), 99))
        .isInstanceOf(LeaseNotFoundException.class)
        .hasMessageContaining("63");
    assertThat(kv.currentRevision()).isEqualTo(1);
  }

  @Test
  void leasesExpireOnTheLeadersClockOnly() {
    Instant t0 = Instant.parse("2026-01-01T00:00:00Z");
    lessor.grant(1, 10, t0);
    lessor.grant(2, 2, t0); // raised to the minimum TTL of 5
    assertThat(lessor.expiredLeases(t0.plusSeconds(100))).isEmpty(); // not primary
    lessor.promote(t0);
    assertThat(lessor.timeToLive(2, false, t0).grantedTtl()).isEqualTo(5);
    assertThat(lessor.expiredLeases(t0.plusSeconds(4))).isEmpty();
    assertThat(lessor.expiredLeases(t0.plusSeconds(5))).containsExactly(2L);
    lessor.renew(1, t0.plusSeconds(9));
    assertThat(lessor.timeToLive(1, false, t0.plusSeconds(12)).remainingTtl()).isEqualTo(7);
    assertThat(lessor.expiredLeases(t0.plusSeconds(19))).containsExactly(2L, 1L);
    assertThatThrownBy(() -> lessor.renew(2, t0.plusSeconds(20)))
        .isInstanceOf(LeaseNotFoundException.class);
  }

  @Test
  void leasesSurviveRestartWithFullTtl() {
    Instant t0 = Instant.parse("2026-01-01T00:00:00Z");
    lessor.promote(t0);
    lessor.grant(5, 30, t0);
    kv.put(b("a"), b("1"), 5);
    kv.commit();
    KvStore copy = restoredCopy();
    assertThat(copy.lessor.leases()).containsExactly(5L);
    Instant later = t0.plusSeconds(25);
    copy.lessor.promote(later);
    Lease l = copy.lessor.timeToLive(5, true, later);
    assertThat(l.remainingTtl()).isEqualTo(30);
    assertThat(l.keys()).extracting(KvStoreContractTest::s).containsExactly("a");
  }

  // ---- watches

  @Test
  void watchFromNowSeesNewWritesWithPrevKv() {
    kv.put(b("k"), b("old"), 0); // 2
    WatchableStore ws = new WatchableStore(kv, metrics);
    WatchStream stream = ws.newStream(16);
    long id = stream.watch(b("k"), null, 0, 0, true, false, false);
    kv.put(b("k"), b("new"), 0); // 3
    kv.put(b("other"), b("x"), 0); // 4
    kv.deleteRange(b("k"), null); // 5
    WatchResponse put = stream.poll();
    assertThat(put.watchId()).isEqualTo(id);
    assertThat(put.revision()).isEqualTo(3);
    assertThat(put.events())
        .containsExactly(
            new Event(
                Event.Type.PUT,
                new KeyValue(b("k"), 2, 3, 2, b("new"), 0),
                new KeyValue(b("k"), 2, 2, 1, b("old"), 0)));
    WatchResponse del = stream.poll();
    assertThat(del.events())
        .containsExactly(
            new Event(
                Event.Type.DELETE,
                KeyValue.tombstone(b("k"), 5),
                new KeyValue(b("k"), 2, 3, 2, b("new"), 0)));
    assertThat(stream.poll()).isNull();
    assertThat(metric("etcd_debugging_mvcc_watcher_total")).isEqualTo(1);
    assertThat(metric("etcd_debugging_mvcc_watch_stream_total")).isEqualTo(1);
  }

  @Test
  void watchFromThePastReplaysHistoryThenFollows() {
    kv.put(b("p/a"), b("1"), 0); // 2
    kv.put(b("q"), b("1"), 0); // 3
    kv.deleteRange(b("p/a"), null); // 4
    WatchableStore ws = new WatchableStore(kv, metrics);
    WatchStream stream = ws.newStream(16);
    stream.watch(b("p/"), b("p0"), 2, 0, false, false, false);
    assertThat(metric("etcd_debugging_mvcc_slow_watcher_total")).isEqualTo(1);
    assertThat(ws.syncWatchers()).isZero();
    WatchResponse replay = stream.poll();
    assertThat(replay.revision()).isEqualTo(4);
    assertThat(replay.events())
        .extracting(Event::type)
        .containsExactly(Event.Type.PUT, Event.Type.DELETE);
    kv.put(b("p/b"), b("2"), 0); // 5
    assertThat(stream.poll().events()).extracting(e -> s(e.kv().key())).containsExactly("p/b");
  }

  @Test
  void watchFromACompactedRevisionIsCanceledWithTheCompactRevision() {
    kv.put(b("a"), b("1"), 0);
    kv.put(b("a"), b("2"), 0);
    kv.put(b("a"), b("3"), 0);
    kv.compact(3);
    WatchableStore ws = new WatchableStore(kv, metrics);
    WatchStream stream = ws.newStream(16);
    long id = stream.watch(b("a"), null, 2, 0, false, false, false);
    ws.syncWatchers();
    assertThat(stream.poll()).isEqualTo(new WatchResponse(id, 4, List.of(), 3, true));
    assertThat(metric("etcd_debugging_mvcc_watcher_total")).isZero();
  }

  @Test
  void filtersDropPutsOrDeletes() {
    WatchableStore ws = new WatchableStore(kv, metrics);
    WatchStream stream = ws.newStream(16);
    stream.watch(b("a"), null, 0, 1, false, true, false); // no put
    stream.watch(b("a"), null, 0, 2, false, false, true); // no delete
    kv.put(b("a"), b("1"), 0);
    kv.deleteRange(b("a"), null);
    WatchResponse first = stream.poll();
    WatchResponse second = stream.poll();
    assertThat(first.watchId()).isEqualTo(2);
    assertThat(first.events()).extracting(Event::type).containsExactly(Event.Type.PUT);
    assertThat(second.watchId()).isEqualTo(1);
    assertThat(second.events()).extracting(Event::type).containsExactly(Event.Type.DELETE);
    assertThat(stream.poll()).isNull();
  }

  @Test
  void slowStreamFallsBehindWithoutBlockingAndCatchesUp() {
    WatchableStore ws = new WatchableStore(kv, metrics);
    WatchStream stream = ws.newStream(2);
    stream.watch(b("k"), null, 0, 0, false, false, false);
    for (int i = 0; i < 5; i++) {
      kv.put(b("k"), b("v" + i), 0); // revisions 2..6, queue holds 2
    }
    assertThat(ws.unsyncedCount()).isEqualTo(1);
    assertThat(metric("etcd_debugging_mvcc_slow_watcher_total")).isEqualTo(1);
    assertThat(stream.poll().revision()).isEqualTo(2);
    assertThat(stream.poll().revision()).isEqualTo(3);
    assertThat(ws.syncWatchers()).isZero();
    WatchResponse catchUp = stream.poll();
    assertThat(catchUp.events()).extracting(e -> e.kv().modRevision()).containsExactly(4L, 5L, 6L);
    kv.put(b("k"), b("after"), 0);
    assertThat(stream.poll().revision()).isEqualTo(7);
  }

  @Test
  void progressIsSentOnlyToSyncedWatchers() {
    kv.put(b("a"), b("1"), 0);
    WatchableStore ws = new WatchableStore(kv, metrics);
    WatchStream stream = ws.newStream(16);
    long behind = stream.watch(b("a"), null, 1, 0, false, false, false);
    assertThat(stream.requestProgress(behind)).isFalse();
    assertThat(stream.requestProgressAll()).isFalse();
    ws.syncWatchers();
    stream.poll();
    assertThat(stream.requestProgressAll()).isTrue();
    assertThat(stream.poll()).isEqualTo(new WatchResponse(-1, 2, List.of(), 0, false));
    stream.close();
    assertThat(metric("etcd_debugging_mvcc_watch_stream_total")).isZero();
  }
}
