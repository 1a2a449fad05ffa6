package io.raftwatch.collector.report;

import io.raftwatch.collector.health.CheckStatus;
import java.time.Instant;
import java.util.List;

/**
 * A report on one cluster over a time window: what {@link ReportBuilder} found, ready for {@link
 * ReportRenderer}. Its JSON form is documented in {@code docs/report-schema.md} and {@code
 * docs/report.schema.json}; a change to its shape bumps {@link #SCHEMA_VERSION}. Immutable.
 *
 * @param schemaVersion {@link #SCHEMA_VERSION}
 * @param cluster the cluster's name
 * @param from the window's start
 * @param to the window's end; the instant the member table and the verdict describe
 * @param source where the data came from: "in-process" or a Prometheus API base URL
 * @param verdict as {@link io.raftwatch.collector.health.ClusterCheck#status()} decides it
 * @param verdictReason one line saying why
 * @param members one per member seen by {@code up} at {@code to}, by member name
 * @param activeAlerts pending and firing alerts at {@code to}, firing first
 * @param recentAlerts every alert pending or firing at some time in the window
 * @param charts the charts over the window
 * @param problems queries that failed, for people; a problem makes the verdict UNKNOWN
 */
public record ClusterReport(
    int schemaVersion,
    String cluster,
    Instant from,
    Instant to,
    String source,
    CheckStatus verdict,
    String verdictReason,
    List<MemberHealth> members,
    List<ReportAlert> activeAlerts,
    List<RecentAlert> recentAlerts,
    List<Chart> charts,
    List<String> problems) {
  /** The version of the JSON form; bumped when a field is removed, renamed or changes meaning. */
  public static final int SCHEMA_VERSION = 1;

  public ClusterReport {
    members = List.copyOf(members);
    activeAlerts = List.copyOf(activeAlerts);
    recentAlerts = List.copyOf(recentAlerts);
    charts = List.copyOf(charts);
    problems = List.copyOf(problems);
  }
}
