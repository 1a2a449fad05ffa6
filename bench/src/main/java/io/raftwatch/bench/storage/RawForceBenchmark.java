package io.raftwatch.bench.storage;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.TimeUnit;
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
 * The baseline for {@link WalAppendBenchmark}: how many append-then-{@code force(false)} rounds
 * one thread gets from this disk, with no framing, checksums or locks. It is the ceiling for a WAL
 * that syncs every save on its own.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class RawForceBenchmark {
  private Path dir;
  private FileChannel channel;
  private final ByteBuffer bytes = ByteBuffer.allocate(8);

  @Setup(Level.Trial)
  public void open() throws IOException {
    dir = BenchDirectory.create("force-bench-");
    channel = FileChannel.open(dir.resolve("raw"), StandardOpenOption.CREATE_NEW,
        StandardOpenOption.WRITE);
  }

  @TearDown(Level.Trial)
  public void close() throws IOException {
    channel.close();
    BenchDirectory.delete(dir);
  }

  @Benchmark
  @Threads(1)
  public void writeAndForce() throws IOException {
    bytes.clear().putLong(0, System.nanoTime());
    channel.write(bytes);
    channel.force(false);
  }
}
