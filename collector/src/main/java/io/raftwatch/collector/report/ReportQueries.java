package io.raftwatch.collector.report;

import java.time.Duration;
import java.util.List;

/**
 * The PromQL a report runs, for one selector and window. Every query is plain Prometheus 2.x
 * PromQL: {@code ReportPrometheusTest} runs them all against a real Prometheus. Per-member
 * results are keyed by {@code instance}, the one label both the collector and a Prometheus that
 * scrapes the members put on every series. Immutable.
 */
final class ReportQueries {
  private final String selector;
  private final String window;

  /**
   * @param selector matchers without braces, e.g. {@code cluster="prod",job="etcd"}
   * @param window the report's window
   */
  ReportQueries(String selector, Duration window) {
    this.selector = selector;
    this.window = seconds(window);
  }

  String up() {
    return "up{" + selector + "}";
  }

  /** {@code metric} of every member at the end of the window. */
  String gauge(String metric) {
    return metric + "{" + selector + "}";
  }

  String maxOverWindow(String metric) {
    return "max_over_time(" + gauge(metric) + "[" + window + "])";
  }

  String changesOverWindow(String metric) {
    return "changes(" + gauge(metric) + "[" + window + "])";
  }

  String increaseOverWindow(String counter) {
    return "increase(" + gauge(counter) + "[" + window + "])";
  }

  /** The p99 of {@code histogram} (its base name) over the whole window, per member. */
  String p99OverWindow(String histogram) {
    return p99(histogram, window);
  }

  /** The p99 of {@code histogram} over {@code rateWindow} at each step, per member (charts). */
  String p99(String histogram, Duration rateWindow) {
    return p99(histogram, seconds(rateWindow));
  }

  private String p99(String histogram, String range) {
    return "histogram_quantile(0.99, sum by (instance, le) (rate(" + histogram + "_bucket{"
        + selector + "}[" + range + "])))";
  }

  /** Every {@code ALERTS} series of the cluster, pending and firing. */
  static String alerts(String clusterName) {
    return "ALERTS{cluster=" + ReportRequest.quote(clusterName) + "}";
  }

  /** Every query a report on this selector may run, for tests that check them against Prometheus. */
  List<String> all(String clusterName, Duration rateWindow) {
    return List.of(up(), gauge("etcd_server_is_leader"), maxOverWindow("etcd_server_proposals_pending"),
        changesOverWindow("etcd_server_leader_changes_seen_total"),
        increaseOverWindow("etcd_server_proposals_failed_total"),
        p99OverWindow("etcd_disk_wal_fsync_duration_seconds"),
        p99("etcd_disk_backend_commit_duration_seconds", rateWindow), alerts(clusterName));
  }

  /** A PromQL duration in whole seconds, at least 1s. */
  static String seconds(Duration d) {
    return Math.max(1, d.toSeconds()) + "s";
  }
}
