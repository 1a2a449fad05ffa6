package io.raftwatch.collector.exposition;

import io.raftwatch.collector.tsdb.Labels;
import io.raftwatch.collector.tsdb.SampleBatch;
import java.util.List;

/**
 * Everything one scrape body held: its families' metadata and its samples in body order. Produced
 * by {@link ExpositionParser#parse} only for a body that parsed whole; immutable once returned.
 */
public final class ParsedScrape {
  /** The timestamp of a sample that carried none; the scraper substitutes the scrape time. */
  public static final long NO_TIMESTAMP = Long.MIN_VALUE;

  private final List<MetricFamily> families;
  private final Labels[] labels;
  private final long[] timestamps;
  private final double[] values;
  private final int size;

  ParsedScrape(
      List<MetricFamily> families, Labels[] labels, long[] timestamps, double[] values, int size) {
    this.families = List.copyOf(families);
    this.labels = labels;
    this.timestamps = timestamps;
    this.values = values;
    this.size = size;
  }

  /** The families in the order they first appeared. */
  public List<MetricFamily> families() {
    return families;
  }

  /** The number of samples (Prometheus's {@code scrape_samples_scraped}). */
  public int size() {
    return size;
  }

  /** The series of sample {@code i}, as the parser's series-label function made it. */
  public Labels labels(int i) {
    return labels[check(i)];
  }

  /** The timestamp of sample {@code i} in milliseconds, or {@link #NO_TIMESTAMP}. */
  public long timestamp(int i) {
    return timestamps[check(i)];
  }

  /** The value of sample {@code i}. */
  public double value(int i) {
    return values[check(i)];
  }

  /**
   * Adds every sample to {@code batch}, with {@code scrapeTimeMillis} for those that carried no
   * timestamp (Prometheus's default, honor_timestamps: true).
   */
  public void addTo(SampleBatch batch, long scrapeTimeMillis) {
    for (int i = 0; i < size; i++) {
      long t = timestamps[i];
      batch.add(labels[i], t == NO_TIMESTAMP ? scrapeTimeMillis : t, values[i]);
    }
  }

  private int check(int i) {
    if (i < 0 || i >= size) {
      throw new IndexOutOfBoundsException("sample " + i + " of " + size);
    }
    return i;
  }
}
