package io.raftwatch.collector.scrape;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * The outcome of a target's last scrape: what Prometheus shows on its targets page and records as
 * {@code up} and {@code scrape_*}. Immutable; published by the target's scrape thread, read by
 * anyone.
 *
 * @param target the target scraped
 * @param up whether the scrape was fetched, parsed and stored whole
 * @param scrapeTime when the scrape started, aligned to its scheduled time when it started within
 *     the timestamp tolerance after it; every sample without its own timestamp carries it
 * @param duration how long fetching, parsing and storing took, from the real start ({@code scrape_duration_seconds})
 * @param samplesScraped samples in the body ({@code scrape_samples_scraped}); 0 when it failed
 * @param seriesAdded series this scrape created in the store ({@code scrape_series_added})
 * @param lastError why it failed, for people; empty when {@code up}
 */
public record TargetHealth(
    Target target,
    boolean up,
    Instant scrapeTime,
    Duration duration,
    int samplesScraped,
    int seriesAdded,
    Optional<String> lastError) {}
