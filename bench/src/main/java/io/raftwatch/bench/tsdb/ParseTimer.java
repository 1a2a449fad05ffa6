package io.raftwatch.bench.tsdb;

import io.raftwatch.collector.exposition.ExpositionFormat;
import io.raftwatch.collector.exposition.ExpositionParser;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Times the collector's parse of scrape bodies saved to files, to set beside a real Prometheus's
 * numbers for the same payload. Usage:
 *
 * <pre>
 *   java -cp bench/target/benchmarks.jar io.raftwatch.bench.tsdb.ParseTimer [--openmetrics] FILE...
 * </pre>
 *
 * For each file it prints the median and best time of one parse by a warm parser (the scrape loop's
 * steady state) and of a first parse, after a warm-up. NB: Prometheus's {@code
 * scrape_duration_seconds} spans the HTTP request, reading the body, parsing and appending (up to
 * the commit), so for the same payload it bounds Prometheus's parse time from above.
 */
public final class ParseTimer {
  private static final int WARMUP = 2_000;
  private static final int RUNS = 200;

  private ParseTimer() {}

  public static void main(String[] args) throws Exception {
    ExpositionFormat format = ExpositionFormat.PROMETHEUS_TEXT;
    for (String arg : args) {
      if (arg.equals("--openmetrics")) {
        format = ExpositionFormat.OPENMETRICS_TEXT;
        continue;
      }
      byte[] body = Files.readAllBytes(Path.of(arg));
      ExpositionParser warm = new ExpositionParser();
      for (int i = 0; i < WARMUP; i++) {
        warm.parse(body, format);
        new ExpositionParser().parse(body, format);
      }
      long[] warmNanos = new long[RUNS];
      long[] firstNanos = new long[RUNS];
      int samples = 0;
      for (int i = 0; i < RUNS; i++) {
        long start = System.nanoTime();
        samples = warm.parse(body, format).size();
        warmNanos[i] = System.nanoTime() - start;
        start = System.nanoTime();
        new ExpositionParser().parse(body, format);
        firstNanos[i] = System.nanoTime() - start;
      }
      System.out.printf(
          "%s: %d bytes, %d samples; warm parse median %s (best %s); first parse median %s%n",
          arg,
          body.length,
          samples,
          describe(warmNanos, body.length),
          describe(new long[] {Arrays.stream(warmNanos).min().orElseThrow()}, body.length),
          describe(firstNanos, body.length));
    }
  }

  private static String describe(long[] nanos, int bytes) {
    long[] sorted = nanos.clone();
    Arrays.sort(sorted);
    long median = sorted[sorted.length / 2];
    return String.format("%.3f ms = %.0f MB/s", median / 1e6, bytes / (median / 1e9) / 1e6);
  }
}
