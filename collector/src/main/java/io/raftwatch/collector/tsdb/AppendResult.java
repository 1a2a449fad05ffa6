package io.raftwatch.collector.tsdb;

/**
 * What one {@link SeriesStore#append} did, for the scraper's {@code scrape_series_added} and its
 * logs.
 *
 * @param samplesAppended samples now stored
 * @param seriesAdded series the batch created (Prometheus's {@code scrape_series_added})
 * @param outOfOrder samples dropped because the series already had a later sample
 * @param duplicates samples dropped because the series already had a sample at that time (with the
 *     same or, as Prometheus counts it, a different value)
 */
public record AppendResult(int samplesAppended, int seriesAdded, int outOfOrder, int duplicates) {}
