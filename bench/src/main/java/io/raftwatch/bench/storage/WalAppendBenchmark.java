package io.raftwatch.bench.storage;

import io.prometheus.client.CollectorRegistry;
import io.raftwatch.raftkv.raft.Entry;
import io.raftwatch.raftkv.storage.StorageMetrics;
import io.raftwatch.raftkv.storage.Wal;
import io.raftwatch.raftkv.storage.WalOptions;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;

/**
 * Durable WAL appends per second: every call is one {@link Wal#save} of one 64-byte entry, which
 * returns after fsync. With 1 thread each save pays a force() of its own; with 8 and 32 threads
 * saving at once, group commit lets one force() cover many saves. The baseline is {@link
 * RawForceBenchmark} on the same disk: a ratio above 1 is the gain of group commit.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class WalAppendBenchmark {
  private static final Entry ENTRY = Entry.normal(1, 1, new byte[64]);

  private Path dir;
  private Wal wal;
  private CollectorRegistry registry;
  private final LongAdder saves = new LongAdder();

  @Setup(Level.Trial)
  public void open() throws IOException {
    dir = BenchDirectory.create("wal-bench-");
    registry = new CollectorRegistry();
    wal = Wal.open(dir, WalOptions.defaults(), new StorageMetrics(registry));
  }

  @TearDown(Level.Trial)
  public void close() throws IOException {
    wal.close();
    double forces = registry.getSampleValue("etcd_disk_wal_fsync_duration_seconds_count");
    System.out.printf("%n  %d saves shared %.0f force() calls: %.1f saves per force()%n",
        saves.sum(), forces, saves.sum() / forces);
    BenchDirectory.delete(dir);
  }

  @Benchmark
  @Threads(1)
  public void save1Thread() throws IOException {
    save();
  }

  @Benchmark
  @Threads(8)
  public void save8Threads() throws IOException {
    save();
  }

  @Benchmark
  @Threads(32)
  public void save32Threads() throws IOException {
    save();
  }

  private void save() throws IOException {
    // Every save rewrites index 1, as a leader replacing an uncommitted entry would: savers racing
    // for the WAL's lock cannot promise the consecutive indexes it requires.
    saves.increment();
    wal.save(null, List.of(ENTRY));
  }
}
