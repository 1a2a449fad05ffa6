package io.raftwatch.bench.tsdb;

import io.raftwatch.collector.exposition.ExpositionFormat;
import io.raftwatch.collector.exposition.ExpositionFormatException;
import io.raftwatch.collector.exposition.ExpositionParser;
import io.raftwatch.collector.exposition.ParsedScrape;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.AuxCounters;
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
import org.openjdk.jmh.annotations.Warmup;

/**
 * Parser throughput on the real etcd scrapes, in bytes per second (the {@code bytes} secondary
 * result). {@code warmTarget} is the steady state of a scrape loop (the parser has seen the
 * target's series before); {@code firstScrape} uses a new parser each time. The baseline, {@code
 * newlineScan}, only finds the line ends, the least any text parser must do.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 3)
@Fork(1)
public class ParseBenchmark {
  @Param({"member-1", "member-1-extensive", "member-1-after-failover"})
  public String fixture;

  private byte[] body;
  private ExpositionParser warm;

  /** Counts bytes read, so JMH reports bytes/s beside ops/s. */
  @State(Scope.Thread)
  @AuxCounters(AuxCounters.Type.OPERATIONS)
  public static class Bytes {
    public long bytes;

    @Setup(Level.Iteration)
    public void reset() {
      bytes = 0;
    }
  }

  @Setup
  public void load() throws ExpositionFormatException {
    body = EtcdFixtures.read(fixture);
    warm = new ExpositionParser();
    warm.parse(body, ExpositionFormat.PROMETHEUS_TEXT);
  }

  @Benchmark
  public ParsedScrape warmTarget(Bytes counter) throws ExpositionFormatException {
    counter.bytes += body.length;
    return warm.parse(body, ExpositionFormat.PROMETHEUS_TEXT);
  }

  @Benchmark
  public ParsedScrape firstScrape(Bytes counter) throws ExpositionFormatException {
    counter.bytes += body.length;
    return new ExpositionParser().parse(body, ExpositionFormat.PROMETHEUS_TEXT);
  }

  @Benchmark
  public int newlineScan(Bytes counter) {
    counter.bytes += body.length;
    int lines = 0;
    for (byte b : body) {
      if (b == '\n') {
        lines++;
      }
    }
    return lines;
  }
}
