package io.raftwatch.collector.jobs;

import io.raftwatch.collector.config.ClusterConfig;
import io.raftwatch.collector.health.ClusterState.ActiveAlert;
import io.raftwatch.collector.health.ClusterState;
import io.raftwatch.collector.history.AlertEvent;
import io.raftwatch.collector.history.AlertEventListener;
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
import io.raftwatch.collector.tsdb.Labels;
import io.raftwatch.collector.tsdb.SeriesStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * One watched cluster: its scraper, its rule groups (which hold the alerts' state) and the state
 * of its latest run. {@link #runOnce} is the health check the scheduler fires at every interval,
 * and what {@code raftwatch check} runs twice.
 *
 * <p>Threads: {@link #runOnce} runs on the caller's thread (a Quartz worker, never two at once for
 * one cluster; it is synchronized anyway) and fans the scrapes out to the scraper's threads. {@link
 * #state()} may be called from any thread and returns the latest immutable snapshot.
 */
public final class ClusterWatch implements AutoCloseable {
  private final ClusterConfig config;
  private final List<RuleGroup> groups;
  private final SeriesStore store;
  private final Engine engine;
  private final Clock clock;
  private final ClusterScraper scraper;
  private final AlertEventListener listener;
  private AlertTransitions transitions;
  // Whether the next run must take the alert state from the history first (after a restart, or
  // when another collector ran the previous checks).
  private boolean restoreNext;
  private volatile ClusterState state;

  /**
   * @param groups the cluster's rule groups, fresh (they keep alert state), owned from now on
   * @param store where the scrapes and the rules' samples go, shared with the other clusters
   * @param engine the engine the rules query, over {@code store}
   * @param clock stamps the scrapes and decides the evaluation time (see {@link #runOnce})
   * @param listener told about alert transitions after each run (the collector's fan-out)
   * @param openAlerts the alerts the history says were pending or firing before this process
   *     started: restored at the first run if still active (see {@link AlertingRule#restore}),
   *     resolved otherwise
   * @throws TlsMaterialException when the cluster's TLS files are missing or unusable
   */
  public ClusterWatch(ClusterConfig config, List<RuleGroup> groups, SeriesStore store, Engine engine,
      Clock clock, ScrapeMetrics scrapeMetrics, AlertEventListener listener,
      List<AlertEvent> openAlerts) throws TlsMaterialException {
    this.config = config;
    this.groups = List.copyOf(groups);
    this.store = store;
    this.engine = engine;
    this.clock = clock;
    this.listener = listener;
    this.transitions = new AlertTransitions(config.name(), openAlerts);
    this.scraper = ClusterScraper.create(config, store, clock, scrapeMetrics);
    this.restoreNext = !openAlerts.isEmpty();
    List<ClusterState.Member> members = new ArrayList<>();
    for (TargetHealth h : scraper.health()) {
      members.add(new ClusterState.Member(h.target().member(), h.target().instance(), false,
          Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty()));
    }
    this.state = new ClusterState(config.name(), Optional.empty(), members, List.of(), List.of());
  }

  public String name() {
    return config.name();
  }

  public ClusterConfig config() {
    return config;
  }

  /**
   * The rule groups. NB: their evaluation state changes on the job thread; read alerts and rule
   * errors through {@link #state()}, which is a consistent snapshot.
   */
  public List<RuleGroup> ruleGroups() {
    return groups;
  }

  /** The state after the latest run; before the first, every member down with no scrape yet. */
  public ClusterState state() {
    return state;
  }

  /**
   * One health check: scrapes every member (in parallel, waiting for all), then evaluates every
   * rule group at one instant, the later of {@code fireTime} and the clock after the scrapes, so
   * the rules see this run's samples. Alert transitions go to the listener. Returns the new state.
   *
   * @param fireTime when this run was scheduled
   */
  public synchronized ClusterState runOnce(Instant fireTime) {
    List<TargetHealth> health = scraper.scrapeAndWait();
    Instant now = clock.instant();
    Instant at = now.isBefore(fireTime) ? fireTime : now;
    QueryFunction query = QueryFunction.of(engine);
    for (RuleGroup g : groups) {
      g.eval(at, query, batch -> store.append(config.name(), batch));
    }
    if (restoreNext) {
      restore(at);
      restoreNext = false;
    }
    List<ActiveAlert> alerts = new ArrayList<>();
    List<String> problems = new ArrayList<>();
    for (RuleGroup g : groups) {
      for (Rule r : g.rules()) {
        g.lastError(r).ifPresent(e -> problems.add(g.file() + ": group \"" + g.name()
            + "\", rule \"" + r.name() + "\": " + e.getMessage()));
        if (r instanceof AlertingRule a) {
          for (Alert alert : a.activeAlerts()) {
            if (alert.state() != AlertState.INACTIVE) {
              alerts.add(activeAlert(a.name(), alert));
            }
          }
        }
      }
    }
    ClusterState next = new ClusterState(config.name(), Optional.of(at), members(health, at), alerts,
        problems);
    state = next;
    List<AlertEvent> events = transitions.next(alerts, at);
    if (!events.isEmpty()) {
      listener.onEvents(events);
    }
    return next;
  }

  /**
   * Takes the alert state from {@code openAlerts}, the alerts the history has pending or firing,
   * at the next run: for a clustered collector whose previous checks ran on another collector, so
   * that it continues their {@code for} clocks and reports no transition twice. Called on the job
   * thread before {@link #runOnce}.
   */
  public synchronized void adopt(List<AlertEvent> openAlerts) {
    transitions = new AlertTransitions(config.name(), openAlerts);
    restoreNext = true;
  }

  /**
   * Makes the history's open alerts authoritative after the evaluation at {@code at}: an alert the
   * rules return again gets the history's activeAt (and firing state); one the history does not
   * have open (it resolved meanwhile, seen by another collector) starts pending at {@code at}. An
   * alert whose {@code for} has passed since that activeAt fires, as this evaluation would have
   * made it.
   */
  private void restore(Instant at) {
    Map<SortedMap<String, String>, ActiveAlert> open = new HashMap<>();
    for (ActiveAlert a : transitions.open()) {
      open.put(a.labels(), a);
    }
    for (RuleGroup g : groups) {
      for (Rule r : g.rules()) {
        if (r instanceof AlertingRule rule) {
          for (Alert alert : rule.activeAlerts()) {
            if (alert.state() == AlertState.INACTIVE) {
              continue;
            }
            ActiveAlert known = open.get(sorted(alert.labels()));
            Instant activeAt = known != null ? known.activeAt() : at;
            Optional<Instant> firedAt = known != null ? known.firedAt() : Optional.empty();
            if (firedAt.isEmpty()
                && Duration.between(activeAt, at).compareTo(rule.holdDuration()) >= 0) {
              firedAt = Optional.of(alert.firedAt().orElse(at));
            }
            rule.restore(alert.labels(), activeAt, firedAt);
          }
        }
      }
    }
  }

  private List<ClusterState.Member> members(List<TargetHealth> health, Instant at) {
    Map<String, Boolean> leader = flags("etcd_server_is_leader", at);
    Map<String, Boolean> hasLeader = flags("etcd_server_has_leader", at);
    List<ClusterState.Member> members = new ArrayList<>();
    for (TargetHealth h : health) {
      String m = h.target().member();
      members.add(new ClusterState.Member(m, h.target().instance(), h.up(),
          h.up() ? Optional.ofNullable(leader.get(m)) : Optional.empty(),
          h.up() ? Optional.ofNullable(hasLeader.get(m)) : Optional.empty(),
          h.lastError(), Optional.of(h.scrapeTime())));
    }
    return members;
  }

  /** Each member's value of the 0/1 gauge {@code metric} in this cluster, by member name. */
  private Map<String, Boolean> flags(String metric, Instant t) {
    Map<String, Boolean> byMember = new HashMap<>();
    String cluster = config.name().replace("\\", "\\\\").replace("\"", "\\\"");
    Value v = engine.instantQuery(metric + "{cluster=\"" + cluster + "\"}", t);
    if (v instanceof Value.Vector vec) {
      for (Value.Sample s : vec.samples()) {
        byMember.put(s.labels().get("member"), s.value() == 1);
      }
    }
    return byMember;
  }

  private static ActiveAlert activeAlert(String name, Alert a) {
    return new ActiveAlert(name, a.state(), a.labels().get("severity"), sorted(a.labels()),
        sorted(a.annotations()), a.value(), a.activeAt(), a.firedAt());
  }

  private static SortedMap<String, String> sorted(Labels labels) {
    SortedMap<String, String> m = new TreeMap<>();
    labels.forEach(m::put);
    return m;
  }

  /** Stops the scraper's threads and connections. */
  @Override
  public void close() {
    scraper.close();
  }
}
