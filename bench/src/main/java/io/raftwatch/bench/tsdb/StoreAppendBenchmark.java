package io.raftwatch.bench.tsdb;

import io.raftwatch.collector.exposition.ExpositionFormatException;
import io.raftwatch.collector.tsdb.Labels;
import io.raftwatch.collector.tsdb.SampleBatch;
import io.raftwatch.collector.tsdb.SeriesLimitExceededException;
import io.raftwatch.collector.tsdb.SeriesStore;
import io.raftwatch.collector.tsdb.StoreStats;
import java.lang.ref.Reference;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
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
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Appends a replay of a 3-member etcd cluster scraped every 15 s for {@code hours} (see {@link
 * EtcdReplay}) into a fresh {@link SeriesStore}, on one thread: the {@code samples} secondary
 * result is samples appended per second on one core. After each iteration it prints the store's
 * compressed bytes per sample and the heap the store retains per sample apart from the label sets,
 * which it shares with the replay; those are measured on their own, as what they would add with
 * no string shared between series (an upper bound). The baseline, {@code uncompressedArrays},
 * appends the same samples to plain per-series long[]/double[] arrays behind a HashMap (16 bytes
 * a sample).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 1, time = 10)
@Measurement(iterations = 3, time = 10)
@Fork(
    value = 1,
    jvmArgsAppend = {"-Xmx4g"})
public class StoreAppendBenchmark {
  @Param({"6"})
  public int hours;

  /**
   * Noise on sample timestamps in ms. 0 is what the collector stores for scrapes that start at
   * most 2 ms after their scheduled time: it stamps them with that time (scrape.ScrapeTimestamps,
   * as Prometheus). 3 is what it stored before doing so, and still stores for scrapes that start
   * later than that.
   */
  @Param({"0", "3"})
  public int jitterMillis;

  private List<SampleBatch> batches;
  private long samplesPerReplay;
  private SeriesStore lastStore;

  /** Counts samples appended, so JMH reports samples/s beside replays/s. */
  @State(Scope.Thread)
  @AuxCounters(AuxCounters.Type.OPERATIONS)
  public static class Samples {
    public long samples;

    @Setup(Level.Iteration)
    public void reset() {
      samples = 0;
    }
  }

  @Setup
  public void prepare() throws ExpositionFormatException {
    batches = EtcdReplay.batches(hours, jitterMillis, 42);
    samplesPerReplay = EtcdReplay.sampleCount(batches);
    System.out.printf(
        "%nreplay: %d batches, %d samples (%d members, %d h at %d s, jitter %d ms)%n",
        batches.size(),
        samplesPerReplay,
        EtcdReplay.MEMBERS,
        hours,
        EtcdReplay.INTERVAL_MILLIS / 1000,
        jitterMillis);
  }

  @Benchmark
  public SeriesStore seriesStore(Samples counter) throws SeriesLimitExceededException {
    SeriesStore store = new SeriesStore(1_000_000);
    for (SampleBatch batch : batches) {
      store.append("bench", batch);
    }
    counter.samples += samplesPerReplay;
    lastStore = store;
    return store;
  }

  @Benchmark
  public Map<Labels, Column> uncompressedArrays(Samples counter) {
    Map<Labels, Column> columns = new HashMap<>();
    for (SampleBatch batch : batches) {
      for (int i = 0; i < batch.size(); i++) {
        columns
            .computeIfAbsent(batch.labels(i), l -> new Column())
            .add(batch.timestamp(i), batch.value(i));
      }
    }
    counter.samples += samplesPerReplay;
    return columns;
  }

  @TearDown(Level.Iteration)
  public void reportFootprint() {
    if (lastStore != null) {
      StoreStats stats = lastStore.stats();
      long withStore = usedHeapAfterGc();
      lastStore = null;
      long retained = withStore - usedHeapAfterGc();
      // The labels are shared with the replay's batches, so "retained" leaves them out.
      System.out.printf(
          "%nstore: %d series, %d samples, %d chunk bytes = %.3f bytes/sample;"
              + " heap retained without labels ~%.3f bytes/sample%n",
          stats.series(),
          stats.samples(),
          stats.chunkBytes(),
          stats.bytesPerSample(),
          (double) retained / stats.samples());
      System.out.printf(
          "labels: ~%.3f bytes/sample more if no series shares a label string with another%n",
          (double) unsharedLabelBytes() / stats.samples());
    }
  }

  /**
   * The heap the replay's distinct label sets take when every one has strings of its own, as the
   * parser makes them; what the store's figure above leaves out.
   */
  private long unsharedLabelBytes() {
    Set<Labels> distinct = new HashSet<>();
    for (SampleBatch batch : batches) {
      for (int i = 0; i < batch.size(); i++) {
        distinct.add(batch.labels(i));
      }
    }
    List<Labels> copies = new ArrayList<>(distinct.size());
    long without = usedHeapAfterGc();
    for (Labels labels : distinct) {
      Labels.Builder copy = Labels.builder();
      // new String(String) would share the characters; from a char[] they are copied.
      labels.forEach((name, value) ->
          copy.set(String.valueOf(name.toCharArray()), String.valueOf(value.toCharArray())));
      copies.add(copy.build());
    }
    long with = usedHeapAfterGc();
    Reference.reachabilityFence(copies);
    return with - without;
  }

  private static long usedHeapAfterGc() {
    Runtime rt = Runtime.getRuntime();
    for (int i = 0; i < 3; i++) {
      System.gc();
    }
    return rt.totalMemory() - rt.freeMemory();
  }

  /** The baseline's per-series storage: timestamps and values, uncompressed. */
  public static final class Column {
    private long[] times = new long[16];
    private double[] values = new double[16];
    private int size;

    void add(long t, double v) {
      if (size == times.length) {
        times = Arrays.copyOf(times, size * 2);
        values = Arrays.copyOf(values, size * 2);
      }
      times[size] = t;
      values[size] = v;
      size++;
    }
  }
}
