package io.raftwatch.collector.scrape;

import io.raftwatch.collector.exposition.ExpositionFormat;
import io.raftwatch.collector.exposition.ExpositionFormatException;
import io.raftwatch.collector.exposition.ExpositionParser;
import io.raftwatch.collector.exposition.ParsedScrape;
import io.raftwatch.collector.tsdb.AppendResult;
import io.raftwatch.collector.tsdb.Labels;
import io.raftwatch.collector.tsdb.SampleBatch;
import io.raftwatch.collector.tsdb.Samples;
import io.raftwatch.collector.tsdb.SeriesLimitExceededException;
import io.raftwatch.collector.tsdb.SeriesStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Scrapes one target into the store, as Prometheus's {@code scrapeLoop} does: fetch, parse (all or
 * nothing), label with the target's labels, append with staleness markers for series that
 * vanished, then append the report series {@code up}, {@code scrape_duration_seconds}, {@code
 * scrape_samples_scraped} and {@code scrape_series_added}.
 *
 * <p>{@link #scrape()} is called by one thread at a time (the {@link ClusterScraper} makes sure);
 * {@link #health()} by anyone.
 */
final class ScrapeLoop {
  private static final Logger log = LoggerFactory.getLogger(ScrapeLoop.class);

  private final Target target;
  private final HttpsScraper scraper;
  private final SeriesStore store;
  private final Clock clock;
  private final ScrapeMetrics metrics;
  private final ScrapeTimestamps timestamps;
  private final ExpositionParser parser;
  private final Labels up;
  private final Labels duration;
  private final Labels samplesScraped;
  private final Labels seriesAdded;
  /** The series of the last successful scrape, which get StaleNaN when they vanish. */
  private Set<Labels> previous = Set.of();
  private volatile TargetHealth health;

  ScrapeLoop(Target target, HttpsScraper scraper, SeriesStore store, Clock clock,
      ScrapeMetrics metrics, ScrapeTimestamps timestamps) {
    this.target = target;
    this.timestamps = timestamps;
    this.metrics = metrics;
    this.scraper = scraper;
    this.store = store;
    this.clock = clock;
    this.parser = new ExpositionParser(withTargetLabels(target.labels()));
    this.up = reportSeries("up");
    this.duration = reportSeries("scrape_duration_seconds");
    this.samplesScraped = reportSeries("scrape_samples_scraped");
    this.seriesAdded = reportSeries("scrape_series_added");
    this.health = new TargetHealth(target, false, Instant.EPOCH, Duration.ZERO, 0, 0,
        Optional.of("not scraped yet"));
  }

  Target target() {
    return target;
  }

  TargetHealth health() {
    return health;
  }

  /**
   * Scrapes once at the clock's time; never throws for a target's failure, records it. Every sample
   * of the scrape (scraped, stale markers, report series) gets the same timestamp, the scheduled
   * time when the scrape started within the tolerance after it ({@link ScrapeTimestamps}).
   */
  TargetHealth scrape() {
    Instant start = clock.instant();
    Instant stamp = timestamps.stampFor(start);
    long t = stamp.toEpochMilli();
    SampleBatch batch = new SampleBatch();
    int scraped = 0;
    int added = 0;
    Optional<String> error = Optional.empty();
    Set<Labels> current = Set.of();
    try {
      ScrapeResponse response = scraper.fetch(target);
      ParsedScrape parsed =
          parser.parse(response.body(), ExpositionFormat.fromContentType(response.contentType()));
      parsed.addTo(batch, t);
      current = new HashSet<>(parsed.size() * 2);
      for (int i = 0; i < parsed.size(); i++) {
        current.add(parsed.labels(i));
      }
      addStaleMarkers(batch, previous, current, t);
      AppendResult result = store.append(target.cluster(), batch);
      scraped = parsed.size();
      added = result.seriesAdded();
      if (result.outOfOrder() + result.duplicates() > 0) {
        log.debug("{}: {} out-of-order and {} duplicate samples dropped", target.url(),
            result.outOfOrder(), result.duplicates());
      }
    } catch (ScrapeFailure e) {
      error = Optional.of(e.getMessage());
    } catch (ExpositionFormatException e) {
      error = Optional.of(target.url() + ": malformed exposition, nothing stored: " + e.getMessage());
    } catch (SeriesLimitExceededException e) {
      error = Optional.of(target.url() + ": " + e.getMessage());
    }
    if (error.isPresent()) {
      // As Prometheus: a failed scrape marks every series of the last good one stale, so rules
      // see the target's series end instead of reading their last values for five minutes.
      current = Set.of();
      batch.clear();
      addStaleMarkers(batch, previous, current, t);
      appendQuietly(batch);
      log.info("scrape failed: {}", error.get());
    }
    previous = current;
    Duration took = Duration.between(start, clock.instant());
    SampleBatch report = new SampleBatch(4);
    report.add(up, t, error.isEmpty() ? 1 : 0);
    report.add(duration, t, took.toNanos() / 1e9);
    report.add(samplesScraped, t, scraped);
    report.add(seriesAdded, t, added);
    appendQuietly(report);
    TargetHealth result = new TargetHealth(target, error.isEmpty(), stamp, took, scraped, added, error);
    health = result;
    metrics.observe(result);
    return result;
  }

  private static void addStaleMarkers(SampleBatch batch, Set<Labels> previous, Set<Labels> current,
      long t) {
    for (Labels series : previous) {
      if (!current.contains(series)) {
        batch.add(series, t, Samples.STALE_NAN);
      }
    }
  }

  /** Appends report series and stale markers; their few series stay within any sane limit. */
  private void appendQuietly(SampleBatch batch) {
    if (batch.size() == 0) {
      return;
    }
    try {
      store.append(target.cluster(), batch);
    } catch (SeriesLimitExceededException e) {
      log.warn("{}: report series not stored: {}", target.url(), e.getMessage());
    }
  }

  private Labels reportSeries(String name) {
    return store.intern(target.labels().toBuilder().set(Labels.METRIC_NAME, name).build());
  }

  /**
   * Adds the target's labels to an exposed series. An exposed label that clashes with a target
   * label is kept as {@code exported_<name>}, as Prometheus does without honor_labels.
   */
  static UnaryOperator<Labels> withTargetLabels(Labels targetLabels) {
    return exposed -> {
      Labels.Builder b = exposed.toBuilder();
      targetLabels.forEach((name, value) -> {
        String clash = exposed.get(name);
        if (!clash.isEmpty()) {
          b.set("exported_" + name, clash);
        }
        b.set(name, value);
      });
      return b.build();
    };
  }
}
