package io.raftwatch.collector.report;

import io.raftwatch.collector.config.ClusterConfig;
import io.raftwatch.collector.config.MemberConfig;
import io.raftwatch.collector.history.AlertEvent;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What to report on: a cluster, how its series are selected, the window, and what the report
 * cannot learn from PromQL (member names by instance, the rules' static annotations). Immutable.
 *
 * @param cluster the cluster's name (the {@code cluster} label)
 * @param selector the matchers selecting the cluster's member series, without braces: {@code
 *     cluster="prod",job="etcd"}
 * @param from the window's start
 * @param to the window's end
 * @param scrapeInterval how often the members are scraped; charts' rates span at least four
 * @param memberNames the config's member names by {@code instance}, for series without a {@code
 *     member} label (a Prometheus that scrapes the members itself)
 * @param ruleAnnotations the rules' annotations by alert name, for alerts no longer active
 * @param alertEvents alert transitions in the window from the collector's history, any order;
 *     empty when the report is built from a Prometheus API
 */
public record ReportRequest(String cluster, String selector, Instant from, Instant to,
    Duration scrapeInterval, Map<String, String> memberNames,
    Map<String, Map<String, String>> ruleAnnotations, List<AlertEvent> alertEvents) {
  public ReportRequest {
    if (!to.isAfter(from)) {
      throw new IllegalArgumentException("the window must end after it starts: " + from + " .. " + to);
    }
    memberNames = Map.copyOf(memberNames);
    ruleAnnotations = Map.copyOf(ruleAnnotations);
    alertEvents = List.copyOf(alertEvents);
  }

  /** This request with the history's {@code events} in the window. */
  public ReportRequest withAlertEvents(List<AlertEvent> events) {
    return new ReportRequest(cluster, selector, from, to, scrapeInterval, memberNames,
        ruleAnnotations, events);
  }

  /**
   * A report on {@code cluster} over the {@code window} before {@code to}, selecting its series by
   * {@code cluster} and {@code job} label, as the collector and the rendered ServiceMonitor label
   * them.
   */
  public static ReportRequest of(ClusterConfig cluster, Duration window, Instant to,
      Map<String, Map<String, String>> ruleAnnotations) {
    Map<String, String> names = new LinkedHashMap<>();
    for (MemberConfig m : cluster.members()) {
      names.put(m.instance(), m.name());
    }
    String selector = "cluster=" + quote(cluster.name()) + ",job=" + quote(cluster.job());
    return new ReportRequest(cluster.name(), selector, to.minus(window), to,
        cluster.scrapeInterval(), names, ruleAnnotations, List.of());
  }

  /** The window's length. */
  public Duration window() {
    return Duration.between(from, to);
  }

  /** A PromQL string literal. */
  static String quote(String s) {
    return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n") + "\"";
  }
}
