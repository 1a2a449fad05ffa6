package io.raftwatch.collector.report;

import io.raftwatch.collector.config.PrometheusDuration;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Turns a {@link ClusterReport} into the template model of {@code templates/report/}: maps, lists
 * and strings only, every number already formatted in its unit, so the templates hold layout and
 * no logic. The HTML template inserts each chart's {@code svg} unescaped: {@link SvgChart}
 * escapes everything it writes. Stateless.
 */
final class ReportView {
  // Only these become links; anything else (javascript:, data:) is shown as text.
  private static final Pattern SAFE_URL = Pattern.compile("(?i)(https?://|/|[^:]*$).*");

  private ReportView() {}

  static Map<String, Object> of(ClusterReport r) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("schemaVersion", Integer.toString(r.schemaVersion()));
    m.put("cluster", r.cluster());
    m.put("from", time(r.from()));
    m.put("to", time(r.to()));
    m.put("window", PrometheusDuration.format(Duration.between(r.from(), r.to()).truncatedTo(ChronoUnit.SECONDS)));
    m.put("source", r.source());
    m.put("verdict", r.verdict().name());
    m.put("verdictClass", r.verdict().name().toLowerCase());
    m.put("verdictReason", r.verdictReason());
    m.put("members", r.members().stream().map(ReportView::member).toList());
    m.put("activeAlerts", r.activeAlerts().stream().map(ReportView::active).toList());
    m.put("recentAlerts", r.recentAlerts().stream().map(ReportView::recent).toList());
    m.put("charts", r.charts().stream().map(c -> chart(c, r)).toList());
    m.put("problems", r.problems());
    return m;
  }

  private static Map<String, Object> member(MemberHealth h) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("member", h.member());
    m.put("instance", h.instance());
    m.put("up", h.up() ? "up" : "DOWN");
    m.put("upClass", h.up() ? "ok" : "critical");
    m.put("leader", yesNo(h.leader()));
    m.put("hasLeader", yesNo(h.hasLeader()));
    m.put("leaderChangesSeen", Units.format(h.leaderChangesSeen(), Units.COUNT));
    m.put("leaderChangesInWindow", Units.format(h.leaderChangesInWindow(), Units.COUNT));
    m.put("proposalsCommitted", Units.format(h.proposalsCommitted(), Units.COUNT));
    m.put("proposalsApplied", Units.format(h.proposalsApplied(), Units.COUNT));
    m.put("proposalsPending", Units.format(h.proposalsPending(), Units.COUNT));
    m.put("proposalsPendingMax", Units.format(h.proposalsPendingMax(), Units.COUNT));
    m.put("proposalsFailedInWindow", Units.format(h.proposalsFailedInWindow(), Units.COUNT));
    m.put("walFsyncP99", Units.format(h.walFsyncP99Seconds(), Units.SECONDS));
    m.put("backendCommitP99", Units.format(h.backendCommitP99Seconds(), Units.SECONDS));
    m.put("dbSize", Units.format(h.dbSizeBytes(), Units.BYTES));
    m.put("quota", Units.format(h.quotaBytes(), Units.BYTES));
    m.put("quotaUsed", Units.percent(h.quotaUsedRatio()));
    m.put("openFds", Units.format(h.openFds(), Units.COUNT));
    m.put("maxFds", Units.format(h.maxFds(), Units.COUNT));
    m.put("fdUse", Units.percent(h.openFds() != null && h.maxFds() != null && h.maxFds() > 0
        ? h.openFds() / h.maxFds() : null));
    m.put("residentMemory", Units.format(h.residentMemoryBytes(), Units.BYTES));
    return m;
  }

  private static Map<String, Object> active(ReportAlert a) {
    Map<String, Object> m = alert(a.name(), a.severity(), a.labels(), a.annotations());
    m.put("state", a.state());
    m.put("activeAt", a.activeAt() == null ? "-" : time(a.activeAt()));
    m.put("value", a.value() == null ? "-" : Units.digits(a.value()));
    return m;
  }

  private static Map<String, Object> recent(RecentAlert a) {
    Map<String, Object> m = alert(a.name(), a.severity(), a.labels(), a.annotations());
    m.put("fired", a.fired() ? "firing" : "pending only");
    m.put("firstSeen", time(a.firstSeen()));
    m.put("lastSeen", a.activeAtEnd() ? "still active" : time(a.lastSeen()));
    return m;
  }

  private static Map<String, Object> alert(String name, String severity, Map<String, String> labels,
      Map<String, String> annotations) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("name", name);
    m.put("severity", severity.isEmpty() ? "-" : severity);
    m.put("severityClass", switch (severity) {
      case "critical" -> "critical";
      case "warning" -> "warning";
      default -> "other";
    });
    List<String> shown = new ArrayList<>();
    labels.forEach((k, v) -> {
      if (!k.equals("alertname") && !k.equals("severity")) {
        shown.add(k + "=" + v);
      }
    });
    m.put("labels", String.join(", ", shown));
    m.put("summary", annotations.getOrDefault("summary", ""));
    m.put("description", annotations.getOrDefault("description", ""));
    String runbook = annotations.getOrDefault("runbook_url", "");
    m.put("runbookUrl", runbook);
    m.put("runbookHref", SAFE_URL.matcher(runbook).matches() ? runbook : "");
    return m;
  }

  private static Map<String, Object> chart(Chart c, ClusterReport r) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("id", c.id());
    m.put("title", c.title());
    m.put("unit", c.unit());
    m.put("query", c.query());
    m.put("svg", SvgChart.render(c, r.from(), r.to()));
    List<Map<String, String>> rows = new ArrayList<>();
    for (ChartSeries s : c.series()) {
      double min = Double.NaN;
      double max = Double.NaN;
      for (ChartSeries.Point p : s.points()) {
        min = Double.isNaN(min) ? p.v() : Math.min(min, p.v());
        max = Double.isNaN(max) ? p.v() : Math.max(max, p.v());
      }
      Double last = s.points().isEmpty() ? null : s.points().get(s.points().size() - 1).v();
      rows.add(Map.of("member", s.member(), "min", Units.format(min, c.unit()),
          "max", Units.format(max, c.unit()), "last", Units.format(last, c.unit()),
          "points", Integer.toString(s.points().size())));
    }
    m.put("rows", rows);
    return m;
  }

  private static String yesNo(Boolean b) {
    return b == null ? "-" : b ? "yes" : "no";
  }

  /** UTC, to the second: 2026-11-24 19:30:00Z. */
  static String time(Instant t) {
    return t.truncatedTo(ChronoUnit.SECONDS).toString().replace('T', ' ');
  }
}
