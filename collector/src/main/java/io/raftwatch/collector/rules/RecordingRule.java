package io.raftwatch.collector.rules;

import io.raftwatch.collector.promql.Expr;
import io.raftwatch.collector.promql.Value.Sample;
import io.raftwatch.collector.tsdb.Labels;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A {@code record:} rule: stores its expression's result under a new metric name with the rule's
 * labels set (an empty value removes a label), as Prometheus's {@code rules/recording.go}.
 * Stateless between evaluations; called by its {@link RuleGroup}.
 */
public final class RecordingRule implements Rule {
  private final String name;
  private final Expr expr;
  private final Map<String, String> labels;

  /** A rule recording {@code expr} as {@code name} with {@code labels} (applied in order). */
  public RecordingRule(String name, Expr expr, Map<String, String> labels) {
    this.name = name;
    this.expr = expr;
    this.labels = Map.copyOf(labels);
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public Expr expr() {
    return expr;
  }

  public Map<String, String> labels() {
    return labels;
  }

  @Override
  public List<Sample> eval(Instant t, QueryFunction query, int limit)
      throws RuleEvaluationException {
    List<Sample> result = RuleQueries.run(query, expr, t);
    long ts = t.toEpochMilli();
    List<Sample> out = new ArrayList<>(result.size());
    Set<Labels> seen = new HashSet<>();
    for (Sample s : result) {
      Labels.Builder b = s.labels().toBuilder().set(Labels.METRIC_NAME, name);
      labels.forEach((k, v) -> {
        if (v.isEmpty()) {
          b.remove(k);
        } else {
          b.set(k, v);
        }
      });
      Labels l = b.build();
      if (!seen.add(l)) {
        throw new RuleEvaluationException(
            "vector contains metrics with the same labelset after applying rule labels");
      }
      out.add(new Sample(l, ts, s.value()));
    }
    if (limit > 0 && out.size() > limit) {
      throw new RuleEvaluationException(
          "exceeded limit " + limit + " with " + out.size() + " series");
    }
    return out;
  }
}
