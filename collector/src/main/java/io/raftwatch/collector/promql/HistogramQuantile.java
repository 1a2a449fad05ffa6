package io.raftwatch.collector.promql;

import io.raftwatch.collector.promql.Value.Sample;
import io.raftwatch.collector.tsdb.Labels;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code histogram_quantile} over classic histograms, as Prometheus 2.42's {@code
 * funcHistogramQuantile} and {@code bucketQuantile}: buckets grouped by their labels without {@code
 * le}; series whose {@code le} is missing or not a float skipped; buckets with the same bound
 * merged; counts forced monotonic; NaN without a {@code +Inf} bucket or with fewer than two
 * buckets; linear interpolation inside the bucket, the lowest bucket starting at 0 unless its bound
 * is not positive. Stateless.
 */
final class HistogramQuantile {
  private static final String BUCKET_LABEL = "le";

  private HistogramQuantile() {}

  static List<Sample> apply(double q, List<Sample> vector, long t) {
    Map<Labels, List<double[]>> groups = new LinkedHashMap<>();
    for (Sample s : vector) {
      double upperBound;
      try {
        upperBound = GoNumbers.parseFloat(s.labels().get(BUCKET_LABEL));
      } catch (NumberFormatException e) {
        continue; // As Prometheus: no bucket label or a malformed one is skipped.
      }
      Labels key = s.labels().without(BUCKET_LABEL);
      groups.computeIfAbsent(key, k -> new ArrayList<>()).add(new double[] {upperBound, s.value()});
    }
    List<Sample> out = new ArrayList<>(groups.size());
    for (Map.Entry<Labels, List<double[]>> e : groups.entrySet()) {
      out.add(new Sample(e.getKey().withoutName(), t, bucketQuantile(q, e.getValue())));
    }
    return out;
  }

  /** Prometheus's {@code bucketQuantile}; each bucket is {upperBound, cumulativeCount}. */
  static double bucketQuantile(double q, List<double[]> bucketList) {
    if (Double.isNaN(q)) {
      return Double.NaN;
    }
    if (q < 0) {
      return Double.NEGATIVE_INFINITY;
    }
    if (q > 1) {
      return Double.POSITIVE_INFINITY;
    }
    double[][] buckets = bucketList.toArray(new double[0][]);
    Arrays.sort(buckets, (a, b) -> Double.compare(a[0], b[0]));
    if (buckets[buckets.length - 1][0] != Double.POSITIVE_INFINITY) {
      return Double.NaN;
    }
    int n = coalesce(buckets);
    ensureMonotonic(buckets, n);
    if (n < 2) {
      return Double.NaN;
    }
    double observations = buckets[n - 1][1];
    if (observations == 0) {
      return Double.NaN;
    }
    double rank = q * observations;
    int b = 0;
    while (b < n - 1 && !(buckets[b][1] >= rank)) {
      b++;
    }
    if (b == n - 1) {
      return buckets[n - 2][0];
    }
    if (b == 0 && buckets[0][0] <= 0) {
      return buckets[0][0];
    }
    double bucketStart = 0;
    double bucketEnd = buckets[b][0];
    double count = buckets[b][1];
    if (b > 0) {
      bucketStart = buckets[b - 1][0];
      count -= buckets[b - 1][1];
      rank -= buckets[b - 1][1];
    }
    return bucketStart + (bucketEnd - bucketStart) * (rank / count);
  }

  /** Merges buckets with equal bounds (summing counts) in place; returns the new count. */
  private static int coalesce(double[][] buckets) {
    int i = 0;
    double[] last = buckets[0].clone();
    for (int j = 1; j < buckets.length; j++) {
      if (buckets[j][0] == last[0]) {
        last[1] += buckets[j][1];
      } else {
        buckets[i++] = last;
        last = buckets[j].clone();
      }
    }
    buckets[i] = last;
    return i + 1;
  }

  private static void ensureMonotonic(double[][] buckets, int n) {
    double max = Double.NEGATIVE_INFINITY;
    for (int i = 0; i < n; i++) {
      if (buckets[i][1] > max) {
        max = buckets[i][1];
      } else if (buckets[i][1] < max) {
        buckets[i][1] = max;
      }
    }
  }
}
