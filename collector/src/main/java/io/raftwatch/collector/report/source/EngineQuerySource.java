package io.raftwatch.collector.report.source;

import io.raftwatch.collector.promql.Engine;
import io.raftwatch.collector.promql.PromqlEvalException;
import io.raftwatch.collector.promql.PromqlParseException;
import io.raftwatch.collector.promql.Value;
import io.raftwatch.collector.rules.Alert;
import io.raftwatch.collector.rules.AlertState;
import io.raftwatch.collector.rules.AlertingRule;
import io.raftwatch.collector.rules.Rule;
import io.raftwatch.collector.rules.RuleGroup;
import io.raftwatch.collector.tsdb.Labels;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Supplier;

/**
 * Answers a report's queries in-process: PromQL through the collector's {@link Engine} over its
 * series store, active alerts from whatever holds the rule groups' state (the running collector's
 * cluster watches). Used by the web page and the daily report job, on their threads; thread-safe
 * as far as the engine and the alert supplier are.
 */
public final class EngineQuerySource implements QuerySource {
  private final Engine engine;
  private final Supplier<List<ActiveAlert>> alerts;

  /**
   * @param alerts the pending and firing alerts now, e.g. {@code () ->
   *     EngineQuerySource.alertsOf(groups)} (called once per report)
   */
  public EngineQuerySource(Engine engine, Supplier<List<ActiveAlert>> alerts) {
    this.engine = engine;
    this.alerts = alerts;
  }

  @Override
  public String describe() {
    return "in-process";
  }

  @Override
  public List<Value.Sample> instant(String query, Instant time) throws QueryFailedException {
    try {
      Value v = engine.instantQuery(query, time);
      if (v instanceof Value.Vector vec) {
        return vec.samples();
      }
      if (v instanceof Value.Scalar s) {
        return List.of(new Value.Sample(Labels.EMPTY, s.timestampMillis(), s.value()));
      }
      throw new QueryFailedException("in-process query " + query + ": not a vector or scalar", null);
    } catch (PromqlParseException | PromqlEvalException | IllegalArgumentException e) {
      throw new QueryFailedException("in-process query " + query + ": " + e.getMessage(), e);
    }
  }

  @Override
  public List<Value.Series> range(String query, Instant start, Instant end, Duration step)
      throws QueryFailedException {
    try {
      return engine.rangeQuery(query, start, end, step).series();
    } catch (PromqlParseException | PromqlEvalException | IllegalArgumentException e) {
      throw new QueryFailedException("in-process range query " + query + ": " + e.getMessage(), e);
    }
  }

  @Override
  public List<ActiveAlert> activeAlerts() {
    return alerts.get();
  }

  /**
   * The pending and firing alerts of {@code groups} as {@code /api/v1/alerts} would list them.
   * Call on the thread that evaluates the groups (they are single-threaded).
   */
  public static List<ActiveAlert> alertsOf(List<RuleGroup> groups) {
    List<ActiveAlert> out = new ArrayList<>();
    for (RuleGroup g : groups) {
      for (Rule r : g.rules()) {
        if (r instanceof AlertingRule rule) {
          for (Alert a : rule.activeAlerts()) {
            if (a.state() != AlertState.INACTIVE) {
              out.add(new ActiveAlert(map(a.labels()), map(a.annotations()), a.state().toString(),
                  Optional.of(a.activeAt()), a.value()));
            }
          }
        }
      }
    }
    return out;
  }

  private static Map<String, String> map(Labels labels) {
    Map<String, String> m = new TreeMap<>();
    labels.forEach(m::put);
    return m;
  }
}
