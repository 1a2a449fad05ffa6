/**
 * Scraping members' {@code /metrics} over mutual TLS into the series store.
 *
 * <p>{@link io.raftwatch.collector.scrape.ClusterScraper} is the entry point: one per cluster, one
 * thread and one {@link io.raftwatch.collector.scrape.ScrapeLoop} per member, one OkHttp client
 * ({@link io.raftwatch.collector.scrape.HttpsScraper}) per cluster. Its TLS comes from PEM files
 * through {@link io.raftwatch.collector.scrape.ClientTls}, which reports unusable files before the
 * first scrape. A scrape goes: fetch (timeout, body cap, gzip, Prometheus's Accept header) →
 * {@code exposition.ExpositionParser} (all or nothing) → target labels → staleness markers →
 * {@code tsdb.SeriesStore.append} → the report series {@code up}, {@code scrape_duration_seconds},
 * {@code scrape_samples_scraped}, {@code scrape_series_added}. Failures become a {@link
 * io.raftwatch.collector.scrape.ScrapeFailure} with a reason for people, kept in {@link
 * io.raftwatch.collector.scrape.TargetHealth}. Time comes from an injected {@link java.time.Clock};
 * every sample of a scrape carries one timestamp, the target's scheduled time when the scrape
 * started within 2 ms after it, as in Prometheus ({@link
 * io.raftwatch.collector.scrape.ScrapeTimestamps}), so the chunks' timestamps compress to a bit.
 */
package io.raftwatch.collector.scrape;
