package io.raftwatch.collector.tsdb;

/**
 * Sizes of a {@link SeriesStore} at one moment, for reports and the benchmark.
 *
 * @param series series stored
 * @param samples samples stored
 * @param chunkBytes compressed bytes the samples take (chunk payloads only, no index or labels)
 */
public record StoreStats(int series, long samples, long chunkBytes) {
  /** Compressed bytes per stored sample; 0 when there is none. */
  public double bytesPerSample() {
    return samples == 0 ? 0 : (double) chunkBytes / samples;
  }
}
