package io.raftwatch.collector.check;

import io.prometheus.client.CollectorRegistry;
import io.raftwatch.collector.config.ClusterConfig;
import io.raftwatch.collector.promql.Engine;
import io.raftwatch.collector.promql.Value;
import io.raftwatch.collector.rules.Alert;
import io.raftwatch.collector.rules.AlertState;
import io.raftwatch.collector.rules.AlertingRule;
import io.raftwatch.collector.rules.QueryFunction;
import io.raftwatch.collector.rules.Rule;
import io.raftwatch.collector.rules.RuleGroup;
import io.raftwatch.collector.scrape.ClusterScraper;
import io.raftwatch.collector.scrape.ScrapeMetrics;
import io.raftwatch.collector.scrape.TargetHealth;
import io.raftwatch.collector.scrape.TlsMaterialException;
import io.raftwatch.collector.tsdb.SeriesStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Checks one cluster once: scrapes every member, pauses for the interval, scrapes again, and
 * evaluates the rule groups after each scrape, so that rates have two samples and an alert whose
 * condition held at both scrapes has been active since the first. Alerts with a {@code for} are
 * then pending, as they would be in a collector that had just started. Runs on the caller's
 * thread (scrapes fan out to the scraper's own threads); the store is private to one run.
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
    Engine engine = new Engine(store);
    QueryFunction query = QueryFunction.of(engine);
    List<TargetHealth> health;
    Instant evaluatedAt;
    // A one-shot check exports nothing; the scrape metrics go to a registry of their own.
    try (ClusterScraper scraper =
        ClusterScraper.create(cluster, store, clock, new ScrapeMetrics(new CollectorRegistry()))) {
      scraper.scrapeAndWait();
      evaluate(groups, clock.instant(), query, store, cluster.name());
      pause.pause(interval);
      health = scraper.scrapeAndWait();
      evaluatedAt = clock.instant();
      evaluate(groups, evaluatedAt, query, store, cluster.name());
    }
    Map<String, Boolean> leader = flags(engine, "etcd_server_is_leader", evaluatedAt);
    Map<String, Boolean> hasLeader = flags(engine, "etcd_server_has_leader", evaluatedAt);
    List<MemberStatus> members = new ArrayList<>();
    for (TargetHealth h : health) {
      String m = h.target().member();
      members.add(new MemberStatus(m, h.target().instance(), h.up(),
          h.up() ? Optional.ofNullable(leader.get(m)) : Optional.empty(),
          h.up() ? Optional.ofNullable(hasLeader.get(m)) : Optional.empty(),
          h.lastError()));
    }
    List<FoundAlert> alerts = new ArrayList<>();
    List<String> problems = new ArrayList<>();
    for (RuleGroup g : groups) {
      for (Rule r : g.rules()) {
        g.lastError(r).ifPresent(e ->
            problems.add(g.file() + ": group \"" + g.name() + "\", rule \"" + r.name() + "\": "
                + e.getMessage()));
        if (r instanceof AlertingRule a) {
          for (Alert alert : a.activeAlerts()) {
            if (alert.state() != AlertState.INACTIVE) {
              alerts.add(new FoundAlert(a.name(), alert.state(), alert.labels().get("severity"),
                  alert.annotations().get("summary"), alert.labels()));
            }
          }
        }
      }
    }
    return new ClusterCheck(cluster.name(), members, alerts, problems);
  }

  private static void evaluate(List<RuleGroup> groups, Instant t, QueryFunction query,
      SeriesStore store, String cluster) {
    for (RuleGroup g : groups) {
      g.eval(t, query, batch -> store.append(cluster, batch));
    }
  }

  /** Each member's value of the 0/1 gauge {@code metric}, by member name. */
  private static Map<String, Boolean> flags(Engine engine, String metric, Instant t) {
    Map<String, Boolean> byMember = new HashMap<>();
    Value v = engine.instantQuery(metric, t);
    if (v instanceof Value.Vector vec) {
      for (Value.Sample s : vec.samples()) {
        byMember.put(s.labels().get("member"), s.value() == 1);
      }
    }
    return byMember;
  }
}
