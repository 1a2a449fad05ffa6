package io.raftwatch.collector.check;

import io.prometheus.client.CollectorRegistry;
import io.raftwatch.collector.config.ClusterConfig;
import io.raftwatch.collector.health.ClusterCheck;
import io.raftwatch.collector.health.ClusterState;
import io.raftwatch.collector.jobs.ClusterWatch;
import io.raftwatch.collector.promql.Engine;
import io.raftwatch.collector.rules.RuleGroup;
import io.raftwatch.collector.scrape.ScrapeMetrics;
import io.raftwatch.collector.scrape.TlsMaterialException;
import io.raftwatch.collector.tsdb.SeriesStore;
import java.time.Clock;
import java.time.Duration;
import java.util.List;

/**
 * Checks one cluster once: scrapes every member, pauses for the interval, scrapes again, and
 * evaluates the rule groups after each scrape, so that rates have two samples and an alert whose
 * condition held at both scrapes has been active since the first. Alerts with a {@code for} are
 * then pending, as they would be in a collector that had just started. Runs on the caller's
 * thread (scrapes fan out to the scraper's own threads); the store is private to one run. Each
 * round is one {@link ClusterWatch#runOnce}, the scheduled collector's health check.
 */
public final class HealthCheck {
  /** Waits between the two scrapes; tests pass one that advances a manual clock. */
  @FunctionalInterface
  public interface Pause {
    void pause(Duration d) throws InterruptedException;
  }

  private final Clock clock;
  private final Pause pause;
  private final Duration interval;

  /**
   * @param clock stamps the scrapes and the evaluations
   * @param pause waits {@code interval} between the scrapes ({@code Thread::sleep} in production)
   * @param interval time between the two scrapes
   */
  public HealthCheck(Clock clock, Pause pause, Duration interval) {
    this.clock = clock;
    this.pause = pause;
    this.interval = interval;
  }

  /**
   * Runs the check of {@code cluster} with {@code groups} (fresh groups: they keep alert state).
   *
   * @throws TlsMaterialException when the cluster's TLS files are missing or unusable
   */
  public ClusterCheck run(ClusterConfig cluster, List<RuleGroup> groups)
      throws TlsMaterialException, InterruptedException {
    SeriesStore store = new SeriesStore(1_000_000);
    ClusterState state;
    // A one-shot check exports nothing and keeps no history: the scrape metrics go to a registry
    // of their own, the alert transitions nowhere.
    try (ClusterWatch watch = new ClusterWatch(cluster, groups, store, new Engine(store), clock,
        new ScrapeMetrics(new CollectorRegistry()), events -> {}, List.of())) {
      watch.runOnce(clock.instant());
      pause.pause(interval);
      state = watch.runOnce(clock.instant());
    }
    return ClusterCheck.of(state);
  }
}
