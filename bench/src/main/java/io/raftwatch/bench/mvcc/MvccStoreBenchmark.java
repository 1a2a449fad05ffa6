package io.raftwatch.bench.mvcc;

import io.prometheus.client.CollectorRegistry;
import io.raftwatch.raftkv.mvcc.Backend;
import io.raftwatch.raftkv.mvcc.KvStore;
import io.raftwatch.raftkv.mvcc.Lessor;
import io.raftwatch.raftkv.mvcc.LmdbBackend;
import io.raftwatch.raftkv.mvcc.MemoryBackend;
import io.raftwatch.raftkv.mvcc.MvccMetrics;
import io.raftwatch.raftkv.mvcc.RangeOptions;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Store operations per second on one thread, as the apply loop runs them: a put of a 128-byte value
 * to one of 10,000 keys, and a single-key range read at the current revision. The LMDB backend
 * commits (with fsync) every 1,000 puts, standing in for etcd's 100 ms commit timer at 10,000
 * puts/s; the memory backend is the baseline that shows the cost of the disk.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 3)
@Fork(1)
public class MvccStoreBenchmark {
  private static final int KEYS = 10_000;
  private static final int COMMIT_EVERY = 1_000;

  @Param({"memory", "lmdb"})
  String backendKind;

  private Path dir;
  private Backend backend;
  private KvStore kv;
  private byte[][] keys;
  private final byte[] value = new byte[128];
  private final Random rnd = new Random(1);
  private int sinceCommit;

  @Setup(Level.Trial)
  public void open() throws IOException {
    MvccMetrics metrics = new MvccMetrics(new CollectorRegistry());
    if (backendKind.equals("lmdb")) {
      dir = Files.createTempDirectory("mvcc-bench");
      backend = new LmdbBackend(dir.resolve("db"), 4L << 30, 10_000, metrics, System::nanoTime);
    } else {
      backend = new MemoryBackend(metrics);
    }
    kv = new KvStore(backend, new Lessor(backend, 1), metrics);
    keys = new byte[KEYS][];
    for (int i = 0; i < KEYS; i++) {
      keys[i] = ("/registry/key/" + i).getBytes(StandardCharsets.UTF_8);
      kv.put(keys[i], value, 0);
    }
    kv.commit();
  }

  @TearDown(Level.Trial)
  public void close() throws IOException {
    backend.close();
    if (dir != null) {
      try (Stream<Path> files = Files.walk(dir)) {
        for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
          Files.delete(p);
        }
      }
    }
  }

  @Benchmark
  public long put() {
    long rev = kv.put(keys[rnd.nextInt(KEYS)], value, 0);
    if (++sinceCommit == COMMIT_EVERY) {
      kv.commit();
      sinceCommit = 0;
    }
    return rev;
  }

  @Benchmark
  public long range() {
    return kv.range(keys[rnd.nextInt(KEYS)], null, RangeOptions.DEFAULT).count();
  }
}
