package io.raftwatch.collector.report;

import java.time.Instant;
import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * An alert that was pending or firing at some time in a report's window, as the {@code ALERTS}
 * series show it (so the times are as precise as the report's step). Immutable.
 *
 * @param name {@code alertname}
 * @param severity the {@code severity} label, "" without one
 * @param labels every label but {@code alertstate}, sorted by name
 * @param annotations from the active alert with these labels, else the rule's template-free
 *     annotations (summary, runbook_url), sorted by name
 * @param firstSeen the first step it was pending or firing
 * @param lastSeen the last step it was pending or firing
 * @param fired whether it was ever firing (not only pending)
 * @param activeAtEnd whether it was still pending or firing at the window's end
 */
public record RecentAlert(String name, String severity, Map<String, String> labels,
    Map<String, String> annotations, Instant firstSeen, Instant lastSeen, boolean fired,
    boolean activeAtEnd) {
  public RecentAlert {
    labels = Collections.unmodifiableSortedMap(new TreeMap<>(labels));
    annotations = Collections.unmodifiableSortedMap(new TreeMap<>(annotations));
  }

  /** The {@code runbook_url} annotation, "" without one. */
  public String runbookUrl() {
    return annotations.getOrDefault("runbook_url", "");
  }
}
