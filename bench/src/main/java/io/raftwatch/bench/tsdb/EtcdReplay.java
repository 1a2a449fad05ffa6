package io.raftwatch.bench.tsdb;

import io.raftwatch.collector.exposition.ExpositionFormat;
import io.raftwatch.collector.exposition.ExpositionFormatException;
import io.raftwatch.collector.exposition.ExpositionParser;
import io.raftwatch.collector.exposition.ParsedScrape;
import io.raftwatch.collector.tsdb.Labels;
import io.raftwatch.collector.tsdb.SampleBatch;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Realistic store input: the scrapes of a 3-member etcd cluster every 15 s for some hours, made
 * from the real {@code member-1.prom} (start) and {@code member-1-after-load.prom} (end) by
 * interpolating each series between its two values. Values that are whole numbers at both ends
 * (counters, bucket counts, byte totals) stay whole, as real ones do; members progress at slightly
 * different rates. Sample timestamps are the scheduled scrape times plus up to {@code jitterMillis}
 * of noise: 0 is how the collector stamps the samples of a scrape that starts at most 2 ms after
 * its scheduled time (with that time, as Prometheus does); a few ms mimics unaligned stamps.
 */
final class EtcdReplay {
  static final long INTERVAL_MILLIS = 15_000;
  static final int MEMBERS = 3;

  private EtcdReplay() {}

  /** One batch per member per scrape, in time order. */
  static List<SampleBatch> batches(int hours, int jitterMillis, long seed)
      throws ExpositionFormatException {
    Map<Labels, double[]> series = startAndEnd();
    int scrapes = (int) (hours * 3_600_000L / INTERVAL_MILLIS);
    SplittableRandom random = new SplittableRandom(seed);
    long t0 = 1_700_000_000_000L;
    List<List<Labels>> memberLabels = new ArrayList<>();
    for (int m = 0; m < MEMBERS; m++) {
      List<Labels> labels = new ArrayList<>();
      for (Labels l : series.keySet()) {
        labels.add(l.toBuilder().set("instance", "member-" + (m + 1)).set("job", "etcd").build());
      }
      memberLabels.add(labels);
    }
    List<double[]> ends = new ArrayList<>(series.values());
    List<SampleBatch> out = new ArrayList<>(scrapes * MEMBERS);
    for (int k = 0; k < scrapes; k++) {
      for (int m = 0; m < MEMBERS; m++) {
        long t =
            t0 + k * INTERVAL_MILLIS + m * 1_234 + random.nextInt(-jitterMillis, jitterMillis + 1);
        double progress = (double) k / Math.max(1, scrapes - 1) * (1 + 0.1 * m);
        List<Labels> labels = memberLabels.get(m);
        SampleBatch batch = new SampleBatch(labels.size());
        for (int i = 0; i < labels.size(); i++) {
          batch.add(labels.get(i), t, interpolate(ends.get(i), progress));
        }
        out.add(batch);
      }
    }
    return out;
  }

  static long sampleCount(List<SampleBatch> batches) {
    long n = 0;
    for (SampleBatch b : batches) {
      n += b.size();
    }
    return n;
  }

  private static double interpolate(double[] startEnd, double progress) {
    double a = startEnd[0];
    double b = startEnd[1];
    if (a == b || Double.isNaN(a) || Double.isNaN(b) || Double.isInfinite(a - b)) {
      return a;
    }
    double v = a + (b - a) * progress;
    boolean whole = a == Math.rint(a) && b == Math.rint(b);
    return whole ? Math.floor(v) : v;
  }

  private static Map<Labels, double[]> startAndEnd() throws ExpositionFormatException {
    ParsedScrape start = parse("member-1");
    ParsedScrape end = parse("member-1-after-load");
    Map<Labels, Double> endValues = new HashMap<>();
    for (int i = 0; i < end.size(); i++) {
      endValues.put(end.labels(i), end.value(i));
    }
    Map<Labels, double[]> out = new LinkedHashMap<>();
    for (int i = 0; i < start.size(); i++) {
      double v = start.value(i);
      out.put(start.labels(i), new double[] {v, endValues.getOrDefault(start.labels(i), v)});
    }
    return out;
  }

  private static ParsedScrape parse(String fixture) throws ExpositionFormatException {
    return new ExpositionParser()
        .parse(EtcdFixtures.read(fixture), ExpositionFormat.PROMETHEUS_TEXT);
  }
}
