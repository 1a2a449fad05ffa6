package io.raftwatch.collector.web;

import com.fasterxml.jackson.core.JsonGenerator;
import io.raftwatch.collector.promql.Engine;
import io.raftwatch.collector.promql.Value;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * The small charts of one member on the page: WAL fsync p99, leader changes, pending proposals,
 * database size and file descriptor use, each a range query through the {@link Engine} over the
 * member's series ({@code cluster} and {@code member} labels). Stateless; called on a worker thread.
 */
final class MemberCharts {
  /** One chart: what it shows and the PromQL template ({@code SEL} is the member's matchers). */
  record Chart(String id, String title, String unit, String query) {}

  static final List<Chart> CHARTS =
      List.of(
          new Chart("fsync_p99", "WAL fsync p99", "s",
              "histogram_quantile(0.99, sum by (le) "
                  + "(rate(etcd_disk_wal_fsync_duration_seconds_bucket{SEL}[1m])))"),
          new Chart("leader_changes", "Leader changes seen", "count",
              "etcd_server_leader_changes_seen_total{SEL}"),
          new Chart("proposals_pending", "Pending proposals", "count",
              "etcd_server_proposals_pending{SEL}"),
          new Chart("db_size", "Database size", "bytes", "etcd_mvcc_db_total_size_in_bytes{SEL}"),
          new Chart("fd_use", "File descriptors used", "ratio",
              "process_open_fds{SEL} / process_max_fds{SEL}"));

  /** Points per chart: enough for a 250-pixel chart. */
  static final int POINTS = 180;

  private MemberCharts() {}

  /**
   * Writes {@code {"cluster","member","from","to","step","charts":[...]}} for the window ending at
   * {@code to}; times are unix milliseconds, a point is {@code [t, v]} with {@code null} for NaN.
   */
  static void write(
      JsonGenerator g, Engine engine, String cluster, String member, Duration range, Instant to)
      throws IOException {
    Instant from = to.minus(range);
    Duration step = Duration.ofMillis(Math.max(1000, range.toMillis() / POINTS));
    String sel = "cluster=" + quote(cluster) + ",member=" + quote(member);
    g.writeStartObject();
    g.writeStringField("cluster", cluster);
    g.writeStringField("member", member);
    g.writeNumberField("from", from.toEpochMilli());
    g.writeNumberField("to", to.toEpochMilli());
    g.writeNumberField("step", step.toMillis());
    g.writeArrayFieldStart("charts");
    for (Chart c : CHARTS) {
      Value.Matrix m = engine.rangeQuery(c.query().replace("SEL", sel), from, to, step);
      g.writeStartObject();
      g.writeStringField("id", c.id());
      g.writeStringField("title", c.title());
      g.writeStringField("unit", c.unit());
      g.writeArrayFieldStart("series");
      for (Value.Series s : m.series()) {
        g.writeStartObject();
        g.writeFieldName("labels");
        PromJson.writeLabels(g, s.labels());
        g.writeArrayFieldStart("points");
        for (int i = 0; i < s.size(); i++) {
          g.writeStartArray();
          g.writeNumber(s.timestampsMillis()[i]);
          double v = s.values()[i];
          if (Double.isFinite(v)) {
            g.writeNumber(v);
          } else {
            g.writeNull();
          }
          g.writeEndArray();
        }
        g.writeEndArray();
        g.writeEndObject();
      }
      g.writeEndArray();
      g.writeEndObject();
    }
    g.writeEndArray();
    g.writeEndObject();
  }

  /** A PromQL string literal. */
  private static String quote(String s) {
    return '"' + s.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n") + '"';
  }
}
