package io.raftwatch.collector.web;

import com.fasterxml.jackson.core.JsonGenerator;
import io.raftwatch.collector.health.ClusterState;
import io.raftwatch.collector.jobs.ClusterWatch;
import io.raftwatch.collector.promql.ExprPrinter;
import io.raftwatch.collector.promql.GoNumbers;
import io.raftwatch.collector.rules.AlertState;
import io.raftwatch.collector.rules.AlertingRule;
import io.raftwatch.collector.rules.RecordingRule;
import io.raftwatch.collector.rules.Rule;
import io.raftwatch.collector.rules.RuleGroup;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Supplier;

/**
 * Prometheus's {@code /api/v1/alerts} and {@code /api/v1/rules} over the collector's clusters, in
 * Prometheus 2.42's shapes, so that Grafana's alerting view and other Prometheus clients can list
 * them. Alerts and rule health come from each cluster's latest {@link ClusterState} snapshot (the
 * rule groups' own state belongs to the job thread); the rule definitions from the loaded groups,
 * which never change. A group is named {@code <cluster>/<group>}, since every cluster has its own
 * copy of the rules. Called on worker threads; thread-safe.
 */
public final class RulesApi {
  private static final Instant GO_ZERO_TIME = Instant.parse("0001-01-01T00:00:00Z");

  private final Supplier<List<ClusterWatch>> clusters;

  public RulesApi(Supplier<List<ClusterWatch>> clusters) {
    this.clusters = clusters;
  }

  /** Adds the endpoints to {@code server}. */
  public void register(WebServer.Builder server) {
    server
        .route("/api/v1/alerts", Set.of("GET"), r -> alerts())
        .route("/api/v1/rules", Set.of("GET"), this::rules);
  }

  WebResponse alerts() {
    return PromJson.success(
        g -> {
          g.writeStartObject();
          g.writeArrayFieldStart("alerts");
          for (ClusterWatch w : clusters.get()) {
            for (ClusterState.ActiveAlert a : w.state().alerts()) {
              writeAlert(g, a);
            }
          }
          g.writeEndArray();
          g.writeEndObject();
        });
  }

  WebResponse rules(WebRequest r) throws ApiException {
    String type = r.param("type");
    if (!type.isEmpty() && !type.equals("alert") && !type.equals("record")) {
      throw ApiException.invalidParam("type", "not supported value \"" + type + "\"");
    }
    boolean alerting = !type.equals("record");
    boolean recording = !type.equals("alert");
    return PromJson.success(
        g -> {
          g.writeStartObject();
          g.writeArrayFieldStart("groups");
          for (ClusterWatch w : clusters.get()) {
            ClusterState state = w.state();
            for (RuleGroup group : w.ruleGroups()) {
              writeGroup(g, w.name(), group, state, alerting, recording);
            }
          }
          g.writeEndArray();
          g.writeEndObject();
        });
  }

  private static void writeGroup(JsonGenerator g, String cluster, RuleGroup group,
      ClusterState state, boolean alerting, boolean recording) throws IOException {
    Instant last = state.evaluatedAt().orElse(GO_ZERO_TIME);
    g.writeStartObject();
    g.writeStringField("name", cluster + "/" + group.name());
    g.writeStringField("file", group.file().toString());
    g.writeArrayFieldStart("rules");
    for (Rule rule : group.rules()) {
      Optional<String> error = problem(state, group, rule);
      if (rule instanceof AlertingRule a && alerting) {
        List<ClusterState.ActiveAlert> alerts = state.alerts().stream()
            .filter(x -> x.alertname().equals(a.name())).toList();
        g.writeStartObject();
        g.writeStringField("state", ruleState(alerts));
        g.writeStringField("name", a.name());
        g.writeStringField("query", ExprPrinter.print(a.expr()));
        g.writeNumberField("duration", seconds(a.holdDuration()));
        g.writeNumberField("keepFiringFor", seconds(a.keepFiringFor()));
        PageApi.writeMap(g, "labels", new TreeMap<>(a.labelTemplates()));
        PageApi.writeMap(g, "annotations", new TreeMap<>(a.annotationTemplates()));
        g.writeArrayFieldStart("alerts");
        for (ClusterState.ActiveAlert x : alerts) {
          writeAlert(g, x);
        }
        g.writeEndArray();
        writeHealth(g, state, error, last);
        g.writeStringField("type", "alerting");
        g.writeEndObject();
      } else if (rule instanceof RecordingRule rr && recording) {
        g.writeStartObject();
        g.writeStringField("name", rr.name());
        g.writeStringField("query", ExprPrinter.print(rr.expr()));
        if (!rr.labels().isEmpty()) { // omitempty in Prometheus's recording rule
          PageApi.writeMap(g, "labels", new TreeMap<>(rr.labels()));
        }
        writeHealth(g, state, error, last);
        g.writeStringField("type", "recording");
        g.writeEndObject();
      }
    }
    g.writeEndArray();
    g.writeNumberField("interval", seconds(group.interval()));
    g.writeNumberField("limit", group.limit());
    g.writeNumberField("evaluationTime", 0);
    g.writeStringField("lastEvaluation", PromJson.rfc3339(last));
    g.writeEndObject();
  }

  private static void writeHealth(JsonGenerator g, ClusterState state, Optional<String> error,
      Instant last) throws IOException {
    g.writeStringField("health",
        error.isPresent() ? "err" : state.evaluatedAt().isPresent() ? "ok" : "unknown");
    if (error.isPresent()) {
      g.writeStringField("lastError", error.get());
    }
    g.writeNumberField("evaluationTime", 0);
    g.writeStringField("lastEvaluation", PromJson.rfc3339(last));
  }

  /** The rule's latest error from the snapshot's problem lines (made by {@code ClusterWatch}). */
  private static Optional<String> problem(ClusterState state, RuleGroup group, Rule rule) {
    String prefix = group.file() + ": group \"" + group.name() + "\", rule \"" + rule.name() + "\": ";
    return state.ruleProblems().stream().filter(p -> p.startsWith(prefix))
        .map(p -> p.substring(prefix.length())).findFirst();
  }

  private static String ruleState(List<ClusterState.ActiveAlert> alerts) {
    if (alerts.stream().anyMatch(a -> a.state() == AlertState.FIRING)) {
      return "firing";
    }
    return alerts.isEmpty() ? "inactive" : "pending";
  }

  private static void writeAlert(JsonGenerator g, ClusterState.ActiveAlert a) throws IOException {
    Map<String, String> labels = new TreeMap<>(a.labels());
    labels.putIfAbsent("alertname", a.alertname());
    g.writeStartObject();
    PageApi.writeMap(g, "labels", labels);
    PageApi.writeMap(g, "annotations", a.annotations());
    g.writeStringField("state", a.state().name().toLowerCase(Locale.ROOT));
    g.writeStringField("activeAt", PromJson.rfc3339(a.activeAt()));
    g.writeStringField("value", GoNumbers.formatE(a.value()));
    g.writeEndObject();
  }

  private static double seconds(Duration d) {
    return d.toMillis() / 1000.0;
  }
}
