package io.raftwatch.collector.report;

import java.time.Instant;
import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * An alert pending or firing at the end of a report's window. Immutable.
 *
 * @param name {@code alertname}
 * @param state "firing" or "pending"
 * @param severity the {@code severity} label, "" without one
 * @param labels every label, sorted by name
 * @param annotations expanded annotations (summary, description, runbook_url), sorted by name
 * @param activeAt when it became pending; null when the source did not say
 * @param value the expression's value; null when the source did not say
 */
public record ReportAlert(String name, String state, String severity, Map<String, String> labels,
    Map<String, String> annotations, Instant activeAt, Double value) {
  public ReportAlert {
    labels = Collections.unmodifiableSortedMap(new TreeMap<>(labels));
    annotations = Collections.unmodifiableSortedMap(new TreeMap<>(annotations));
  }

  /** The {@code runbook_url} annotation, "" without one. */
  public String runbookUrl() {
    return annotations.getOrDefault("runbook_url", "");
  }
}
