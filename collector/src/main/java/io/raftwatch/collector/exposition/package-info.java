/**
 * Reads scrape bodies: the Prometheus text format 0.0.4 and OpenMetrics 1.0 text.
 *
 * <p>The scraper keeps one {@link io.raftwatch.collector.exposition.ExpositionParser} per target
 * and hands it each body as bytes; it gets back a whole {@link
 * io.raftwatch.collector.exposition.ParsedScrape} or an {@link
 * io.raftwatch.collector.exposition.ExpositionFormatException} naming the line, never part of a
 * body. The parse then goes to the store as one {@link io.raftwatch.collector.tsdb.SampleBatch}.
 */
package io.raftwatch.collector.exposition;
