package io.raftwatch.collector.web;

import com.fasterxml.jackson.core.JsonGenerator;
import io.raftwatch.collector.config.TlsConfig;
import io.raftwatch.collector.health.ClusterState;
import io.raftwatch.collector.history.AlertEvent;
import io.raftwatch.collector.history.EventFilter;
import io.raftwatch.collector.history.HistoryStore;
import io.raftwatch.collector.jobs.ClusterWatch;
import io.raftwatch.collector.promql.Engine;
import io.raftwatch.collector.promql.GoNumbers;
import io.raftwatch.collector.rules.AlertState;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The page's JSON API (documented in {@code docs/web.md}): {@code /api/clusters} (every cluster at
 * a glance with its members, leader, alerts and TLS file paths), {@code /api/history} (alert
 * transitions from the {@link HistoryStore}, filtered) and {@code /api/charts} (one member's
 * charts through the {@link Engine}). Reads the clusters' immutable {@link ClusterState}
 * snapshots, so it never waits for a running health check. Called on worker threads; thread-safe.
 * Shows TLS file paths only, never their contents.
 */
public final class PageApi {
  /** How many history events a request gets unless it asks for fewer. */
  static final int DEFAULT_HISTORY_LIMIT = 500;

  private final Supplier<List<ClusterWatch>> clusters;
  private final HistoryStore history;
  private final Engine engine;
  private final Clock clock;
  private final Duration maxChartRange;

  /**
   * @param clusters the watched clusters, in config order
   * @param history the alert history
   * @param engine queries the collected series for the charts
   * @param clock the time "now" on the page (history windows, chart ends)
   * @param maxChartRange the longest chart window (the series store's retention)
   */
  public PageApi(Supplier<List<ClusterWatch>> clusters, HistoryStore history, Engine engine,
      Clock clock, Duration maxChartRange) {
    this.clusters = clusters;
    this.history = history;
    this.engine = engine;
    this.clock = clock;
    this.maxChartRange = maxChartRange;
  }

  /** Adds the endpoints to {@code server}. */
  public void register(WebServer.Builder server) {
    server
        .route("/api/clusters", Set.of("GET"), r -> clusters())
        .route("/api/history", Set.of("GET"), this::history)
        .route("/api/charts", Set.of("GET"), this::charts);
  }

  WebResponse clusters() {
    Instant now = clock.instant();
    return PromJson.success(
        g -> {
          g.writeStartObject();
          g.writeStringField("generatedAt", PromJson.rfc3339(now));
          g.writeArrayFieldStart("clusters");
          for (ClusterWatch w : clusters.get()) {
            writeCluster(g, w);
          }
          g.writeEndArray();
          g.writeEndObject();
        });
  }

  private static void writeCluster(JsonGenerator g, ClusterWatch w) throws IOException {
    ClusterState s = w.state();
    g.writeStartObject();
    g.writeStringField("name", s.cluster());
    writeTime(g, "evaluatedAt", s.evaluatedAt());
    g.writeStringField("verdict", verdict(s));
    g.writeFieldName("leader");
    Optional<ClusterState.Member> leader = s.leader();
    if (leader.isPresent()) {
      g.writeString(leader.get().name());
    } else {
      g.writeNull();
    }
    g.writeArrayFieldStart("members");
    for (ClusterState.Member m : s.members()) {
      g.writeStartObject();
      g.writeStringField("name", m.name());
      g.writeStringField("instance", m.instance());
      g.writeBooleanField("up", m.up());
      writeFlag(g, "leader", m.isLeader());
      writeFlag(g, "hasLeader", m.hasLeader());
      g.writeFieldName("lastError");
      if (m.lastError().isPresent()) {
        g.writeString(m.lastError().get());
      } else {
        g.writeNull();
      }
      writeTime(g, "lastScrape", m.lastScrape());
      g.writeEndObject();
    }
    g.writeEndArray();
    g.writeArrayFieldStart("alerts");
    for (ClusterState.ActiveAlert a : s.alerts()) {
      g.writeStartObject();
      g.writeStringField("alertname", a.alertname());
      g.writeStringField("state", a.state().name().toLowerCase(Locale.ROOT));
      g.writeStringField("severity", a.severity());
      writeMap(g, "labels", a.labels());
      writeMap(g, "annotations", a.annotations());
      g.writeStringField("value", GoNumbers.formatF(a.value()));
      g.writeStringField("activeAt", PromJson.rfc3339(a.activeAt()));
      writeTime(g, "firedAt", a.firedAt());
      g.writeEndObject();
    }
    g.writeEndArray();
    g.writeArrayFieldStart("ruleProblems");
    for (String p : s.ruleProblems()) {
      g.writeString(p);
    }
    g.writeEndArray();
    // Paths only: the page must never carry key material.
    g.writeObjectFieldStart("tls");
    Optional<TlsConfig> tls = w.config().tls();
    writePath(g, "caFile", tls.flatMap(TlsConfig::caFile));
    writePath(g, "certFile", tls.flatMap(TlsConfig::certFile));
    writePath(g, "keyFile", tls.flatMap(TlsConfig::keyFile));
    g.writeBooleanField("insecureSkipVerify", tls.map(TlsConfig::insecureSkipVerify).orElse(false));
    g.writeEndObject();
    g.writeArrayFieldStart("reports");
    for (String[] link : ReportPages.liveLinks(s.cluster())) {
      g.writeStartObject();
      g.writeStringField("format", link[0]);
      g.writeStringField("href", link[1]);
      g.writeEndObject();
    }
    g.writeEndArray();
    g.writeEndObject();
  }

  /**
   * "unknown" before the first evaluation; "critical" with a firing critical alert; "warning" with
   * another firing alert or a member down; "ok" otherwise.
   */
  static String verdict(ClusterState s) {
    if (s.evaluatedAt().isEmpty()) {
      return "unknown";
    }
    List<ClusterState.ActiveAlert> firing = s.alerts(AlertState.FIRING);
    if (firing.stream().anyMatch(a -> a.severity().equals("critical"))) {
      return "critical";
    }
    if (!firing.isEmpty() || s.members().stream().anyMatch(m -> !m.up())) {
      return "warning";
    }
    return "ok";
  }

  WebResponse history(WebRequest r) throws ApiException {
    Optional<String> cluster = nonEmpty(r.param("cluster"));
    Optional<String> alertname = nonEmpty(r.param("alertname"));
    Set<AlertEvent.Kind> kinds = EnumSet.noneOf(AlertEvent.Kind.class);
    String state = r.param("state");
    if (!state.isEmpty()) {
      try {
        kinds.add(AlertEvent.Kind.valueOf(state.toUpperCase(Locale.ROOT)));
      } catch (IllegalArgumentException e) {
        throw ApiException.invalidParam(
            "state", "\"" + state + "\" is not one of pending, firing, resolved");
      }
    }
    Duration since = r.param("since").isEmpty()
        ? Duration.ofDays(1) : ApiParams.parseDuration("since", r.param("since"));
    if (since.isNegative() || since.isZero()) {
      throw ApiException.invalidParam("since", "must be positive, got \"" + r.param("since") + "\"");
    }
    int limit = DEFAULT_HISTORY_LIMIT;
    if (!r.param("limit").isEmpty()) {
      try {
        limit = Integer.parseInt(r.param("limit"));
      } catch (NumberFormatException e) {
        limit = -1;
      }
      if (limit < 1 || limit > EventFilter.MAX_LIMIT) {
        throw ApiException.invalidParam(
            "limit", "must be a number from 1 to " + EventFilter.MAX_LIMIT + ", got \""
                + r.param("limit") + "\"");
      }
    }
    Instant now = clock.instant();
    EventFilter filter = new EventFilter(cluster, alertname, kinds, Optional.of(now.minus(since)),
        Optional.empty(), limit);
    List<AlertEvent> events = history.events(filter);
    return PromJson.success(
        g -> {
          g.writeStartObject();
          g.writeStringField("from", PromJson.rfc3339(now.minus(since)));
          g.writeArrayFieldStart("events");
          for (AlertEvent e : events) {
            g.writeStartObject();
            g.writeStringField("cluster", e.cluster());
            g.writeStringField("alertname", e.alertname());
            g.writeStringField("kind", e.kind().name().toLowerCase(Locale.ROOT));
            g.writeStringField("severity", e.severity());
            writeMap(g, "labels", e.labels());
            writeMap(g, "annotations", e.annotations());
            g.writeStringField("value", GoNumbers.formatF(e.value()));
            g.writeStringField("activeAt", PromJson.rfc3339(e.activeAt()));
            g.writeStringField("at", PromJson.rfc3339(e.at()));
            g.writeEndObject();
          }
          g.writeEndArray();
          g.writeEndObject();
        });
  }

  WebResponse charts(WebRequest r) throws ApiException {
    String cluster = r.param("cluster");
    String member = r.param("member");
    ClusterWatch w = clusters.get().stream().filter(c -> c.name().equals(cluster)).findFirst()
        .orElseThrow(() -> ApiException.invalidParam("cluster", "no cluster \"" + cluster + "\""));
    if (w.config().members().stream().noneMatch(m -> m.name().equals(member))) {
      throw ApiException.invalidParam(
          "member", "cluster \"" + cluster + "\" has no member \"" + member + "\"");
    }
    Duration range = r.param("range").isEmpty()
        ? Duration.ofHours(1) : ApiParams.parseDuration("range", r.param("range"));
    if (range.isNegative() || range.isZero() || range.compareTo(maxChartRange) > 0) {
      throw ApiException.invalidParam("range", "must be positive and at most "
          + maxChartRange.toHours() + "h (the retention), got \"" + r.param("range") + "\"");
    }
    Instant to = clock.instant();
    return PromJson.success(g -> MemberCharts.write(g, engine, cluster, member, range, to));
  }

  private static Optional<String> nonEmpty(String s) {
    return s.isEmpty() ? Optional.empty() : Optional.of(s);
  }

  private static void writeFlag(JsonGenerator g, String name, Optional<Boolean> flag)
      throws IOException {
    g.writeFieldName(name);
    if (flag.isPresent()) {
      g.writeBoolean(flag.get());
    } else {
      g.writeNull();
    }
  }

  private static void writeTime(JsonGenerator g, String name, Optional<Instant> t)
      throws IOException {
    g.writeFieldName(name);
    if (t.isPresent()) {
      g.writeString(PromJson.rfc3339(t.get()));
    } else {
      g.writeNull();
    }
  }

  private static void writePath(JsonGenerator g, String name, Optional<Path> p) throws IOException {
    g.writeFieldName(name);
    if (p.isPresent()) {
      g.writeString(p.get().toString());
    } else {
      g.writeNull();
    }
  }

  static void writeMap(JsonGenerator g, String name, Map<String, String> map) throws IOException {
    g.writeObjectFieldStart(name);
    for (Map.Entry<String, String> e : map.entrySet()) {
      g.writeStringField(e.getKey(), e.getValue());
    }
    g.writeEndObject();
  }
}
