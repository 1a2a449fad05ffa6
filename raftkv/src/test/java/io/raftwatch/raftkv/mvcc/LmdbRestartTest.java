package io.raftwatch.raftkv.mvcc;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.prometheus.client.CollectorRegistry;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Restart from LMDB: a reopened store rebuilds its key index, revisions, compaction point,
 * consistent index and leases from the backend alone, and hashes identically.
 */
class LmdbRestartTest {
  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

  @TempDir Path dir;

  private static final class Opened {
    final CollectorRegistry registry = new CollectorRegistry();
    final MvccMetrics metrics = new MvccMetrics(registry);
    final LmdbBackend backend;
    final Lessor lessor;
    final KvStore kv;

    Opened(Path dir, int batchLimit) {
      backend = new LmdbBackend(dir, 1L << 30, batchLimit, metrics, System::nanoTime);
      lessor = new Lessor(backend, 1);
      kv = new KvStore(backend, lessor, metrics);
    }
  }

  /** Everything observable, as text, so two stores compare in one assertion. */
  private static List<String> state(KvStore kv, Lessor lessor) {
    List<String> out = new ArrayList<>();
    out.add(
        "rev="
            + kv.currentRevision()
            + " compact="
            + kv.compactRevision()
            + " ci="
            + kv.consistentIndex()
            + " hash="
            + kv.hash()
            + " hashKv="
            + kv.hashKv(0));
    for (long rev = Math.max(1, kv.compactRevision()); rev <= kv.currentRevision(); rev++) {
      RangeResult r = kv.range(new byte[] {0}, new byte[] {0}, RangeOptions.atRevision(rev));
      out.add(rev + ": " + KvStoreModelTest.describe(r.kvs(), r.count()));
    }
    for (long id : lessor.leases()) {
      Lease l = lessor.timeToLive(id, true, T0);
      out.add(
          "lease "
              + id
              + " ttl="
              + l.grantedTtl()
              + " keys="
              + l.keys().stream().map(k -> new String(k, UTF_8)).toList());
    }
    return out;
  }

  @Test
  void reopenedStoreRebuildsIdenticalStateAndHash() {
    Path db = dir.resolve("db");
    Opened first = new Opened(db, 16);
    Random rnd = new Random(42);
    String[] keys = {"a", "b", "c", "d", "e", "f"};
    long raftIndex = 0;
    for (long id = 1; id <= 3; id++) {
      first.lessor.grant(id, 10 * id, T0);
    }
    for (int step = 0; step < 300; step++) {
      String key = keys[rnd.nextInt(keys.length)];
      try (WriteTxn txn = first.kv.write()) {
        if (rnd.nextInt(4) == 0) {
          txn.deleteRange(key.getBytes(UTF_8), null);
        } else {
          txn.put(key.getBytes(UTF_8), ("v" + step).getBytes(UTF_8), rnd.nextInt(4));
        }
        first.kv.setConsistentIndex(++raftIndex);
      }
      if (step == 150) {
        first.kv.compact(first.kv.currentRevision() - 20);
      }
    }
    first.kv.revokeLease(3);
    List<String> before = state(first.kv, first.lessor);
    first.backend.close();

    Opened second = new Opened(db, 16);
    assertThat(state(second.kv, second.lessor)).isEqualTo(before);
    assertThat(second.kv.consistentIndex()).isEqualTo(raftIndex);
    // Writing on after the restart continues the revision sequence.
    long next = second.kv.put("a".getBytes(UTF_8), "after".getBytes(UTF_8), 0);
    assertThat(next).isEqualTo(second.kv.currentRevision());
    second.backend.close();
  }

  @Test
  void snapshotFromMemoryRestoresIntoLmdbReplacingItsContent() throws Exception {
    MvccMetrics metrics = new MvccMetrics(new CollectorRegistry());
    MemoryBackend memory = new MemoryBackend(metrics);
    Lessor memoryLessor = new Lessor(memory, 1);
    KvStore source = new KvStore(memory, memoryLessor, metrics);
    memoryLessor.grant(9, 20, T0);
    source.put("a".getBytes(UTF_8), "1".getBytes(UTF_8), 9);
    source.put("b".getBytes(UTF_8), "2".getBytes(UTF_8), 0);
    source.deleteRange("b".getBytes(UTF_8), null);
    source.compact(3);
    source.setConsistentIndex(17);
    java.io.ByteArrayOutputStream snapshot = new java.io.ByteArrayOutputStream();
    memory.snapshot(snapshot);

    Path db = dir.resolve("db");
    Opened target = new Opened(db, 16);
    target.kv.put("stale".getBytes(UTF_8), "x".getBytes(UTF_8), 0);
    target.backend.restore(new java.io.ByteArrayInputStream(snapshot.toByteArray()));
    target.backend.close();

    // The server reopens the store on the restored backend, as after a snapshot from the leader.
    Opened reopened = new Opened(db, 16);
    assertThat(state(reopened.kv, reopened.lessor)).isEqualTo(state(source, memoryLessor));
    reopened.backend.close();
  }

  @Test
  void compactionInterruptedByACrashIsFinishedOnRestart() {
    Path db = dir.resolve("db");
    Opened first = new Opened(db, 10_000);
    for (int i = 0; i < 10; i++) {
      first.kv.put("k".getBytes(UTF_8), ("v" + i).getBytes(UTF_8), 0); // revisions 2..11
    }
    // As if the member died after scheduling compaction at 6 but before deleting anything.
    first.backend.put(
        Bucket.META, KvStore.SCHEDULED_COMPACT, ByteBuffer.allocate(8).putLong(6).array());
    first.backend.close();

    Opened second = new Opened(db, 10_000);
    assertThat(second.kv.compactRevision()).isEqualTo(6);
    int[] rows = {0};
    second.backend.range(Bucket.KEY, new byte[0], null, (k, v) -> ++rows[0] > 0);
    assertThat(rows[0]).isEqualTo(6); // revision 6 (the version at 6) and 7..11
    second.backend.close();
  }

  @Test
  void writesAreCommittedInBatchesAndEachCommitIsTimed() {
    Opened s = new Opened(dir.resolve("db"), 3);
    long[] fakeNanos = {0};
    LmdbBackend timed =
        new LmdbBackend(
            dir.resolve("timed"), 1L << 30, 3, s.metrics, () -> fakeNanos[0] += 3_000_000);
    KvStore kv = new KvStore(timed, new Lessor(timed, 1), s.metrics);
    kv.put("a".getBytes(UTF_8), "1".getBytes(UTF_8), 0);
    kv.put("b".getBytes(UTF_8), "1".getBytes(UTF_8), 0);
    assertThat(timed.pendingOps()).isEqualTo(2);
    kv.put("c".getBytes(UTF_8), "1".getBytes(UTF_8), 0); // third op: the batch is full
    assertThat(timed.pendingOps()).isZero();
    kv.put("d".getBytes(UTF_8), "1".getBytes(UTF_8), 0);
    kv.commit(); // the caller's timer
    kv.commit(); // nothing pending: not a commit
    CollectorRegistry r = s.registry;
    assertThat(r.getSampleValue("etcd_disk_backend_commit_duration_seconds_count")).isEqualTo(2.0);
    // Each fake commit took 3 ms: in the 0.004 bucket, not the 0.002 one.
    assertThat(
            r.getSampleValue(
                "etcd_disk_backend_commit_duration_seconds_bucket",
                new String[] {"le"},
                new String[] {"0.002"}))
        .isEqualTo(0.0);
    assertThat(
            r.getSampleValue(
                "etcd_disk_backend_commit_duration_seconds_bucket",
                new String[] {"le"},
                new String[] {"0.004"}))
        .isEqualTo(2.0);
    timed.close();
    s.backend.close();
  }
}
