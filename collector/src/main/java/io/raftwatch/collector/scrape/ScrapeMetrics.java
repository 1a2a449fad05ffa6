package io.raftwatch.collector.scrape;

import io.prometheus.client.CollectorRegistry;
import io.prometheus.client.Counter;
import io.prometheus.client.Histogram;

/**
 * The scraper's own metrics, for the collector's {@code /metrics}; registered on the registry
 * passed in, never the default one. Updated by the scrape threads; thread-safe.
 *
 * <pre>
 * raftwatch_collector_scrapes_total{cluster="prod",result="up"} 1234
 * raftwatch_collector_scrapes_total{cluster="prod",result="down"} 3
 * raftwatch_collector_scrape_duration_seconds_bucket{cluster="prod",le="0.025"} 1200
 * raftwatch_collector_scrape_samples_total{cluster="prod"} 1591830
 * </pre>
 */
public final class ScrapeMetrics {
  private final Counter scrapes;
  private final Histogram duration;
  private final Counter samples;

  public ScrapeMetrics(CollectorRegistry registry) {
    scrapes = Counter.build("raftwatch_collector_scrapes_total",
            "Scrapes of cluster members, by outcome (up: fetched, parsed and stored whole).")
        .labelNames("cluster", "result").register(registry);
    duration = Histogram.build("raftwatch_collector_scrape_duration_seconds",
            "Time to fetch, parse and store one member's scrape.")
        .labelNames("cluster")
        .buckets(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10)
        .register(registry);
    samples = Counter.build("raftwatch_collector_scrape_samples_total",
            "Samples read from successful scrapes.")
        .labelNames("cluster").register(registry);
  }

  void observe(TargetHealth health) {
    String cluster = health.target().cluster();
    scrapes.labels(cluster, health.up() ? "up" : "down").inc();
    duration.labels(cluster).observe(health.duration().toNanos() / 1e9);
    samples.labels(cluster).inc(health.samplesScraped());
  }
}
