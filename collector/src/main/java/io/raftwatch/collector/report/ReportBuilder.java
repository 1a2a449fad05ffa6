package io.raftwatch.collector.report;

import io.raftwatch.collector.health.CheckStatus;
import io.raftwatch.collector.health.ClusterCheck;
import io.raftwatch.collector.health.FoundAlert;
import io.raftwatch.collector.health.MemberStatus;
import io.raftwatch.collector.history.AlertEvent;
import io.raftwatch.collector.promql.Value;
import io.raftwatch.collector.report.source.ActiveAlert;
import io.raftwatch.collector.report.source.QueryFailedException;
import io.raftwatch.collector.report.source.QuerySource;
import io.raftwatch.collector.report.source.SourceUnreachableException;
import io.raftwatch.collector.rules.AlertState;
import io.raftwatch.collector.tsdb.Labels;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Builds a {@link ClusterReport} from a {@link QuerySource}: the member table from instant queries
 * at the window's end, the charts from range queries over the window, active alerts from the
 * source's alert list and recent ones from the {@code ALERTS} series over the window, and the
 * verdict as {@link ClusterCheck#status()} decides it. A query the source rejects becomes one of
 * the report's problems (and the verdict UNKNOWN); an unreachable source stops the build.
 *
 * <p>One build runs on the caller's thread and reads no clock: the window is in the request.
 */
public final class ReportBuilder {
  /** About this many points per chart line; the step is the window divided by it. */
  static final int CHART_POINTS = 240;

  private final QuerySource source;

  public ReportBuilder(QuerySource source) {
    this.source = source;
  }

  /**
   * Builds the report {@code request} asks for.
   *
   * @throws SourceUnreachableException when the source cannot be reached; the message names it
   */
  public ClusterReport build(ReportRequest request) throws SourceUnreachableException {
    return new Run(request).build();
  }

  /** The chart step for {@code window}: about {@link #CHART_POINTS} points, whole seconds. */
  static Duration step(Duration window) {
    return Duration.ofSeconds(Math.max(1, window.toSeconds() / CHART_POINTS));
  }

  /** One build: the request, and the problems met so far. */
  private final class Run {
    private final ReportRequest request;
    private final ReportQueries queries;
    private final Duration step;
    private final List<String> problems = new ArrayList<>();
    private final Map<String, String> memberByInstance = new LinkedHashMap<>();

    Run(ReportRequest request) {
      this.request = request;
      this.queries = new ReportQueries(request.selector(), request.window());
      this.step = step(request.window());
    }

    ClusterReport build() throws SourceUnreachableException {
      List<MemberHealth> members = members();
      List<ReportAlert> active = activeAlerts();
      List<RecentAlert> recent = recentAlerts(active);
      List<Chart> charts = charts();
      ClusterCheck check = new ClusterCheck(request.cluster(),
          members.stream().map(m -> new MemberStatus(m.member(), m.instance(), m.up(),
              Optional.ofNullable(m.leader()), Optional.ofNullable(m.hasLeader()), Optional.empty()))
              .toList(),
          active.stream().map(a -> new FoundAlert(a.name(),
              a.state().equals("firing") ? AlertState.FIRING : AlertState.PENDING, a.severity(),
              a.annotations().getOrDefault("summary", ""), Labels.of(a.labels()))).toList(),
          problems);
      CheckStatus verdict = check.status();
      return new ClusterReport(ClusterReport.SCHEMA_VERSION, request.cluster(), request.from(),
          request.to(), source.describe(), verdict, reason(verdict, members, active), members,
          active, recent, charts, problems);
    }

    private List<MemberHealth> members() throws SourceUnreachableException {
      Map<String, Labels> upLabels = new TreeMap<>();
      Map<String, Double> up = new HashMap<>();
      for (Value.Sample s : instant(queries.up())) {
        String instance = s.labels().get("instance");
        upLabels.put(instance, s.labels());
        up.put(instance, s.value());
      }
      for (Map.Entry<String, Labels> e : upLabels.entrySet()) {
        String member = e.getValue().get("member");
        memberByInstance.put(e.getKey(), !member.isEmpty() ? member
            : request.memberNames().getOrDefault(e.getKey(), e.getKey()));
      }
      Map<String, Double> leader = byInstance(queries.gauge("etcd_server_is_leader"));
      Map<String, Double> hasLeader = byInstance(queries.gauge("etcd_server_has_leader"));
      Map<String, Double> changesSeen = byInstance(queries.gauge("etcd_server_leader_changes_seen_total"));
      Map<String, Double> changes =
          byInstance(queries.changesOverWindow("etcd_server_leader_changes_seen_total"));
      Map<String, Double> committed = byInstance(queries.gauge("etcd_server_proposals_committed_total"));
      Map<String, Double> applied = byInstance(queries.gauge("etcd_server_proposals_applied_total"));
      Map<String, Double> pending = byInstance(queries.gauge("etcd_server_proposals_pending"));
      Map<String, Double> pendingMax = byInstance(queries.maxOverWindow("etcd_server_proposals_pending"));
      Map<String, Double> failed =
          byInstance(queries.increaseOverWindow("etcd_server_proposals_failed_total"));
      Map<String, Double> fsync = byInstance(queries.p99OverWindow("etcd_disk_wal_fsync_duration_seconds"));
      Map<String, Double> commit =
          byInstance(queries.p99OverWindow("etcd_disk_backend_commit_duration_seconds"));
      Map<String, Double> dbSize = byInstance(queries.gauge("etcd_mvcc_db_total_size_in_bytes"));
      Map<String, Double> quota = byInstance(queries.gauge("etcd_server_quota_backend_bytes"));
      Map<String, Double> openFds = byInstance(queries.gauge("process_open_fds"));
      Map<String, Double> maxFds = byInstance(queries.gauge("process_max_fds"));
      Map<String, Double> rss = byInstance(queries.gauge("process_resident_memory_bytes"));
      List<MemberHealth> members = new ArrayList<>();
      for (String instance : upLabels.keySet()) {
        boolean isUp = up.get(instance) == 1;
        Double db = dbSize.get(instance);
        Double q = quota.get(instance);
        // A member that is down says nothing about leadership, whatever its last samples said.
        members.add(new MemberHealth(memberByInstance.get(instance), instance, isUp,
            isUp ? flag(leader.get(instance)) : null, isUp ? flag(hasLeader.get(instance)) : null,
            changesSeen.get(instance),
            changes.get(instance), committed.get(instance), applied.get(instance),
            pending.get(instance), pendingMax.get(instance), failed.get(instance),
            fsync.get(instance), commit.get(instance), db, q,
            db != null && q != null && q > 0 ? db / q : null, openFds.get(instance),
            maxFds.get(instance), rss.get(instance)));
      }
      members.sort(Comparator.comparing(MemberHealth::member));
      return members;
    }

    /** Pending and firing alerts of this cluster, firing first. */
    private List<ReportAlert> activeAlerts() throws SourceUnreachableException {
      List<ReportAlert> out = new ArrayList<>();
      try {
        for (ActiveAlert a : source.activeAlerts()) {
          if (request.cluster().equals(a.labels().get("cluster"))) {
            out.add(new ReportAlert(a.name(), a.state(), a.labels().getOrDefault("severity", ""),
                a.labels(), a.annotations(), a.activeAt().orElse(null),
                Double.isFinite(a.value()) ? a.value() : null));
          }
        }
      } catch (QueryFailedException e) {
        // A source without an alert list (an older collector): the ALERTS series say which alerts
        // are active, the rules what they mean; when they became active is unknown.
        for (Value.Sample s : instant(ReportQueries.alerts(request.cluster()))) {
          Map<String, String> labels = labelMap(s.labels().without(Labels.METRIC_NAME, "alertstate"));
          String name = labels.getOrDefault("alertname", "");
          out.add(new ReportAlert(name, s.labels().get("alertstate"), labels.getOrDefault("severity", ""),
              labels, request.ruleAnnotations().getOrDefault(name, Map.of()), null, null));
        }
      }
      out.sort(Comparator.comparing((ReportAlert a) -> !a.state().equals("firing"))
          .thenComparing(ReportAlert::name).thenComparing(a -> a.labels().toString()));
      return out;
    }

    /**
     * Alerts pending or firing in the window: from the {@code ALERTS} series at each step, joined
     * with the history's transitions (which also know alerts older than the store's retention).
     */
    private List<RecentAlert> recentAlerts(List<ReportAlert> active) throws SourceUnreachableException {
      Map<Map<String, String>, Span> spans = new TreeMap<>(Comparator.comparing(Object::toString));
      for (Value.Series s : range(ReportQueries.alerts(request.cluster()))) {
        if (s.size() == 0) {
          continue;
        }
        Span span = spans.computeIfAbsent(
            labelMap(s.labels().without(Labels.METRIC_NAME, "alertstate")), k -> new Span());
        span.see(s.timestampsMillis()[0], s.timestampsMillis()[s.size() - 1],
            s.labels().get("alertstate").equals("firing"));
      }
      long lastStep = request.from().toEpochMilli()
          + request.window().toMillis() / step.toMillis() * step.toMillis();
      for (Span span : spans.values()) {
        span.activeAtEnd = span.last >= lastStep;
      }
      List<AlertEvent> events = new ArrayList<>(request.alertEvents());
      events.sort(Comparator.comparing(AlertEvent::at));
      long from = request.from().toEpochMilli();
      for (AlertEvent e : events) {
        Span span = spans.computeIfAbsent(e.labels(), k -> new Span());
        long at = e.at().toEpochMilli();
        long since = Math.max(from, Math.min(at, e.activeAt().toEpochMilli()));
        boolean open = e.kind() != AlertEvent.Kind.RESOLVED;
        span.see(since, open ? request.to().toEpochMilli() : at, e.kind() == AlertEvent.Kind.FIRING);
        span.activeAtEnd = open; // events are in time order: the last one decides
        span.annotations = e.annotations();
      }
      List<RecentAlert> out = new ArrayList<>();
      for (Map.Entry<Map<String, String>, Span> e : spans.entrySet()) {
        Map<String, String> labels = e.getKey();
        String name = labels.getOrDefault("alertname", "");
        Span span = e.getValue();
        Map<String, String> annotations = active.stream().filter(a -> a.labels().equals(labels))
            .findFirst().map(ReportAlert::annotations)
            .orElse(span.annotations != null ? span.annotations
                : request.ruleAnnotations().getOrDefault(name, Map.of()));
        out.add(new RecentAlert(name, labels.getOrDefault("severity", ""), labels, annotations,
            Instant.ofEpochMilli(span.first), Instant.ofEpochMilli(span.last), span.fired,
            span.activeAtEnd));
      }
      out.sort(Comparator.comparing(RecentAlert::firstSeen).thenComparing(RecentAlert::name));
      return out;
    }

    private List<Chart> charts() throws SourceUnreachableException {
      Duration rateWindow = request.scrapeInterval().multipliedBy(4);
      if (rateWindow.compareTo(step.multipliedBy(2)) < 0) {
        rateWindow = step.multipliedBy(2);
      }
      return List.of(
          chart("wal_fsync_p99", "WAL fsync p99", "seconds",
              queries.p99("etcd_disk_wal_fsync_duration_seconds", rateWindow)),
          chart("leader_changes", "Leader changes seen", "count",
              queries.gauge("etcd_server_leader_changes_seen_total")),
          chart("proposals_pending", "Pending proposals", "count",
              queries.gauge("etcd_server_proposals_pending")),
          chart("db_size", "Database size", "bytes", queries.gauge("etcd_mvcc_db_total_size_in_bytes")),
          chart("open_fds", "Open file descriptors", "count", queries.gauge("process_open_fds")));
    }

    private Chart chart(String id, String title, String unit, String query)
        throws SourceUnreachableException {
      List<ChartSeries> lines = new ArrayList<>();
      for (Value.Series s : range(query)) {
        String instance = s.labels().get("instance");
        List<ChartSeries.Point> points = new ArrayList<>();
        for (int i = 0; i < s.size(); i++) {
          if (Double.isFinite(s.values()[i])) {
            points.add(new ChartSeries.Point(s.timestampsMillis()[i], s.values()[i]));
          }
        }
        lines.add(new ChartSeries(memberByInstance.getOrDefault(instance,
            request.memberNames().getOrDefault(instance, instance)), instance, points));
      }
      lines.sort(Comparator.comparing(ChartSeries::member));
      return new Chart(id, title, unit, query, lines);
    }

    private String reason(CheckStatus verdict, List<MemberHealth> members, List<ReportAlert> active) {
      long up = members.stream().filter(MemberHealth::up).count();
      String leader = members.stream().filter(m -> Boolean.TRUE.equals(m.leader()))
          .map(MemberHealth::member).findFirst().map(m -> "leader " + m).orElse("no leader seen");
      String state = up + "/" + members.size() + " members up, " + leader;
      return switch (verdict) {
        case CRITICAL, WARNING -> firing(active, verdict.name().toLowerCase()) + "; " + state;
        case UNKNOWN -> !problems.isEmpty()
            ? problems.size() + " quer" + (problems.size() == 1 ? "y" : "ies") + " failed; " + state
            : "no member answered its last scrape (" + state + ")";
        case OK -> state + ", no alert firing";
      };
    }

    private String firing(List<ReportAlert> active, String severity) {
      return severity + " alerts firing: " + String.join(", ", active.stream()
          .filter(a -> a.state().equals("firing") && a.severity().equals(severity))
          .map(ReportAlert::name).distinct().toList());
    }

    private List<Value.Sample> instant(String query) throws SourceUnreachableException {
      try {
        return source.instant(query, request.to());
      } catch (QueryFailedException e) {
        problems.add(e.getMessage());
        return List.of();
      }
    }

    private List<Value.Series> range(String query) throws SourceUnreachableException {
      try {
        return source.range(query, request.from(), request.to(), step);
      } catch (QueryFailedException e) {
        problems.add(e.getMessage());
        return List.of();
      }
    }

    /** The finite value of {@code query}'s sample per instance. */
    private Map<String, Double> byInstance(String query) throws SourceUnreachableException {
      Map<String, Double> out = new HashMap<>();
      for (Value.Sample s : instant(query)) {
        if (Double.isFinite(s.value())) {
          out.put(s.labels().get("instance"), s.value());
        }
      }
      return out;
    }
  }

  /** When one alert was seen in the window. Mutable, local to one build. */
  private static final class Span {
    long first = Long.MAX_VALUE;
    long last = Long.MIN_VALUE;
    boolean fired;
    boolean activeAtEnd;
    Map<String, String> annotations;

    void see(long from, long to, boolean firing) {
      first = Math.min(first, from);
      last = Math.max(last, to);
      fired |= firing;
    }
  }

  private static Boolean flag(Double v) {
    return v == null ? null : v == 1;
  }

  private static Map<String, String> labelMap(Labels labels) {
    Map<String, String> m = new TreeMap<>();
    labels.forEach(m::put);
    return m;
  }
}
