package io.raftwatch.collector.check;

import io.raftwatch.collector.config.ClusterConfig;
import io.raftwatch.collector.health.ClusterCheck;
import io.raftwatch.collector.health.FoundAlert;
import io.raftwatch.collector.health.MemberStatus;
import io.raftwatch.collector.promql.Expr;
import io.raftwatch.collector.promql.Value;
import io.raftwatch.collector.report.source.QueryFailedException;
import io.raftwatch.collector.report.source.QuerySource;
import io.raftwatch.collector.report.source.SourceUnreachableException;
import io.raftwatch.collector.rules.Alert;
import io.raftwatch.collector.rules.AlertState;
import io.raftwatch.collector.rules.AlertingRule;
import io.raftwatch.collector.rules.QueryFunction;
import io.raftwatch.collector.rules.Rule;
import io.raftwatch.collector.rules.RuleFileException;
import io.raftwatch.collector.rules.RuleFileLoader;
import io.raftwatch.collector.rules.RuleGroup;
import io.raftwatch.collector.tsdb.Labels;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * {@code raftwatch check --prometheus}: the same rules as the scraping check, evaluated through an
 * existing Prometheus server's HTTP API instead of scraping the members.
 *
 * <p>Each rule group is evaluated once at {@code now}, every expression sent as an instant query
 * (so labels and annotations are expanded exactly as the collector does). An alert the expression
 * returns is then judged against its rule's {@code for}:
 *
 * <ol>
 *   <li>When Prometheus itself evaluates a rule of that name and has an {@code ALERTS_FOR_STATE}
 *       series with the alert's labels, its value is when the alert became active: the alert fires
 *       when that is at least {@code for} ago. This keeps Prometheus's own clock, gaps and all.
 *   <li>Otherwise the expression is run as a range query over {@code [now - for, now]} at the rule
 *       group's interval: the alert fires when the expression returned its series at every step,
 *       which is what a rule evaluated at that interval would have seen; a missed step means it
 *       would have restarted pending.
 * </ol>
 *
 * {@code keep_firing_for} is not judged: an alert the expression no longer returns is not
 * reported. Members come from {@code up}, {@code etcd_server_is_leader} and {@code
 * etcd_server_has_leader} selected by the cluster's {@code cluster} and {@code job} labels. Runs
 * on the caller's thread; reads no clock.
 */
public final class PrometheusCheck {
  private final QuerySource source;

  public PrometheusCheck(QuerySource source) {
    this.source = source;
  }

  /**
   * Checks {@code cluster} with the rules of {@code sources} at {@code now}.
   *
   * @throws SourceUnreachableException when Prometheus cannot be reached; the message names it
   * @throws RuleFileException when a rule file is invalid
   */
  public ClusterCheck run(ClusterConfig cluster, List<RuleSource> sources, RuleFileLoader loader,
      Instant now) throws SourceUnreachableException, RuleFileException {
    List<String> problems = new ArrayList<>();
    List<MemberStatus> members = members(cluster, now, problems);
    Map<Expr, String> texts = new IdentityHashMap<>();
    List<RuleGroup> groups = new ArrayList<>();
    for (RuleSource s : sources) {
      List<RuleGroup> loaded = s.load(loader);
      List<RuleSource.RuleText> rules = s.rules();
      int i = 0;
      for (RuleGroup g : loaded) {
        for (Rule r : g.rules()) {
          texts.put(r.expr(), rules.get(i++).expr());
        }
      }
      groups.addAll(loaded);
    }
    QueryFunction remote = (expr, t) -> {
      try {
        return source.instant(texts.get(expr), t);
      } catch (SourceUnreachableException | QueryFailedException e) {
        throw new IllegalStateException(e.getMessage(), e); // the rule records it as its error
      }
    };
    List<FoundAlert> alerts = new ArrayList<>();
    for (RuleGroup g : groups) {
      // Recorded series stay in Prometheus; nothing is written here.
      g.eval(now, remote, batch -> {});
      for (Rule r : g.rules()) {
        g.lastError(r).ifPresent(e -> problems.add(g.file() + ": group \"" + g.name()
            + "\", rule \"" + r.name() + "\": " + e.getMessage()));
        if (r instanceof AlertingRule rule && g.lastError(r).isEmpty()) {
          judge(g, rule, texts.get(rule.expr()), now, alerts, problems);
        }
      }
    }
    return new ClusterCheck(cluster.name(), members, alerts, problems);
  }

  private void judge(RuleGroup group, AlertingRule rule, String exprText, Instant now,
      List<FoundAlert> out, List<String> problems) throws SourceUnreachableException {
    Map<Labels, Double> forState = null;
    Map<Labels, Integer> stepsHeld = null;
    for (Alert a : rule.activeAlerts()) {
      if (a.state() == AlertState.INACTIVE) {
        continue;
      }
      AlertState state = a.state();
      if (state == AlertState.PENDING) {
        if (forState == null) {
          forState = forState(rule.name(), now, problems);
        }
        Double activeAtSeconds = forState.get(a.labels());
        if (activeAtSeconds != null) {
          boolean held = Duration.between(Instant.ofEpochMilli((long) (activeAtSeconds * 1000)), now)
              .compareTo(rule.holdDuration()) >= 0;
          state = held ? AlertState.FIRING : AlertState.PENDING;
        } else {
          if (stepsHeld == null) {
            stepsHeld = stepsHeld(group, rule, exprText, now, problems);
          }
          Labels sampleLabels = a.labels().without(rule.labelTemplates().keySet())
              .without("alertname");
          long expected = rule.holdDuration().toMillis() / step(group, rule).toMillis() + 1;
          state = stepsHeld.getOrDefault(sampleLabels, 0) >= expected
              ? AlertState.FIRING : AlertState.PENDING;
        }
      }
      out.add(new FoundAlert(rule.name(), state, a.labels().get("severity"),
          a.annotations().get("summary"), a.labels()));
    }
  }

  /** Prometheus's ALERTS_FOR_STATE of alert {@code name}: activeAt in seconds by alert labels. */
  private Map<Labels, Double> forState(String name, Instant now, List<String> problems)
      throws SourceUnreachableException {
    Map<Labels, Double> out = new HashMap<>();
    try {
      for (Value.Sample s : source.instant("ALERTS_FOR_STATE{alertname="
          + quote(name) + "}", now)) {
        out.put(s.labels().without(Labels.METRIC_NAME), s.value());
      }
    } catch (QueryFailedException e) {
      problems.add(e.getMessage());
    }
    return out;
  }

  /** For each series of the expression, at how many steps of {@code [now - for, now]} it was. */
  private Map<Labels, Integer> stepsHeld(RuleGroup group, AlertingRule rule, String exprText,
      Instant now, List<String> problems) throws SourceUnreachableException {
    Map<Labels, Integer> out = new HashMap<>();
    try {
      for (Value.Series s : source.range(exprText, now.minus(rule.holdDuration()), now,
          step(group, rule))) {
        out.put(s.labels().without(Labels.METRIC_NAME), s.size());
      }
    } catch (QueryFailedException e) {
      problems.add("rule \"" + rule.name() + "\": " + e.getMessage());
    }
    return out;
  }

  /** The group's interval, coarser when {@code for} would need more than Prometheus's 11,000 points. */
  private static Duration step(RuleGroup group, AlertingRule rule) {
    Duration step = group.interval();
    Duration fine = rule.holdDuration().dividedBy(10_000);
    return step.compareTo(fine) >= 0 ? step : fine;
  }

  private List<MemberStatus> members(ClusterConfig cluster, Instant now, List<String> problems)
      throws SourceUnreachableException {
    String selector = "{cluster=" + quote(cluster.name()) + ",job=" + quote(cluster.job()) + "}";
    Map<String, Labels> up = new TreeMap<>();
    Map<String, Double> upValue = new HashMap<>();
    Map<String, Double> leader = new HashMap<>();
    Map<String, Double> hasLeader = new HashMap<>();
    try {
      for (Value.Sample s : source.instant("up" + selector, now)) {
        up.put(s.labels().get("instance"), s.labels());
        upValue.put(s.labels().get("instance"), s.value());
      }
      for (Value.Sample s : source.instant("etcd_server_is_leader" + selector, now)) {
        leader.put(s.labels().get("instance"), s.value());
      }
      for (Value.Sample s : source.instant("etcd_server_has_leader" + selector, now)) {
        hasLeader.put(s.labels().get("instance"), s.value());
      }
    } catch (QueryFailedException e) {
      problems.add(e.getMessage());
    }
    if (up.isEmpty()) {
      problems.add(source.describe() + " has no series up" + selector
          + ": it does not scrape this cluster with these labels");
    }
    Map<String, String> names = new HashMap<>();
    cluster.members().forEach(m -> names.put(m.instance(), m.name()));
    List<MemberStatus> members = new ArrayList<>();
    for (Map.Entry<String, Labels> e : up.entrySet()) {
      String instance = e.getKey();
      String member = e.getValue().has("member") ? e.getValue().get("member")
          : names.getOrDefault(instance, instance);
      boolean isUp = upValue.get(instance) == 1;
      // As the scraping check: a member that is down says nothing, whatever its last samples said.
      members.add(new MemberStatus(member, instance, isUp,
          Optional.ofNullable(isUp ? leader.get(instance) : null).map(v -> v == 1),
          Optional.ofNullable(isUp ? hasLeader.get(instance) : null).map(v -> v == 1),
          isUp ? Optional.empty() : Optional.of("Prometheus's last scrape failed (up 0)")));
    }
    return members;
  }

  private static String quote(String s) {
    return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
  }
}
