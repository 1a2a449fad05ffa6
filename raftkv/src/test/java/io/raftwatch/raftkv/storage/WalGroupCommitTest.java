package io.raftwatch.raftkv.storage;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.prometheus.client.CollectorRegistry;
import io.raftwatch.raftkv.raft.Entry;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Concurrent {@link Wal#save} callers: each returns only once its entry is written and forced, and
 * together they need fewer force() calls than saves.
 */
class WalGroupCommitTest {
  private static final int THREADS = 8;
  private static final int SAVES_PER_THREAD = 40;

  @TempDir Path dir;

  @Test
  void concurrentSavesShareFsyncsAndAllTheirEntriesAreOnDisk() throws Exception {
    CollectorRegistry registry = new CollectorRegistry();
    Set<String> returned = ConcurrentHashMap.newKeySet();
    List<Path> segments;
    ExecutorService pool = Executors.newFixedThreadPool(THREADS);
    try (Wal wal = Wal.open(dir, new WalOptions(4096), new StorageMetrics(registry))) {
      CyclicBarrier start = new CyclicBarrier(THREADS);
      List<Future<?>> savers = new ArrayList<>();
      for (int t = 0; t < THREADS; t++) {
        String thread = "thread " + t;
        savers.add(
            pool.submit(
                () -> {
                  start.await();
                  for (int i = 0; i < SAVES_PER_THREAD; i++) {
                    // Every save rewrites index 1, as a leader replacing an uncommitted entry
                    // would: savers racing for the lock cannot promise consecutive indexes.
                    String data = thread + " save " + i;
                    wal.save(null, List.of(Entry.normal(1, 1, data.getBytes(UTF_8))));
                    returned.add(data);
                  }
                  return null;
                }));
      }
      for (Future<?> saver : savers) {
        saver.get(2, TimeUnit.MINUTES);
      }
      segments = wal.segmentFiles();
    } finally {
      pool.shutdownNow();
    }
    int saves = THREADS * SAVES_PER_THREAD;

    List<String> onDisk = new ArrayList<>();
    for (int s = 0; s < segments.size(); s++) {
      for (WalReader.Framed r :
          WalReader.scan(segments.get(s), s == segments.size() - 1).records()) {
        onDisk.add(new String(WalRecord.decodeEntry(r.payload()).data(), UTF_8));
      }
    }
    assertThat(returned).hasSize(saves);
    assertThat(onDisk).containsExactlyInAnyOrderElementsOf(returned);
    assertThat(segments).hasSizeGreaterThan(1);
    assertThat(WalTestData.reopen(dir).entries())
        .extracting(e -> new String(e.data(), UTF_8))
        .containsExactly(onDisk.get(onDisk.size() - 1));

    double fsyncs = registry.getSampleValue("etcd_disk_wal_fsync_duration_seconds_count");
    assertThat(fsyncs).as("force() calls for %d saves", saves).isLessThan(saves);
    assertThat(fsyncs).isGreaterThan(0);
  }
}
