package io.raftwatch.collector.report.source;

import java.time.Instant;
import java.util.Collections;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * A pending or firing alert as Prometheus's {@code /api/v1/alerts} lists it. Immutable.
 *
 * @param labels the alert's labels, {@code alertname} included, sorted by name
 * @param annotations its expanded annotations, sorted by name
 * @param state "pending" or "firing"
 * @param activeAt when its expression started returning it
 * @param value the expression's latest value
 */
public record ActiveAlert(Map<String, String> labels, Map<String, String> annotations,
    String state, Optional<Instant> activeAt, double value) {
  public ActiveAlert {
    labels = Collections.unmodifiableSortedMap(new TreeMap<>(labels));
    annotations = Collections.unmodifiableSortedMap(new TreeMap<>(annotations));
  }

  public String name() {
    return labels.getOrDefault("alertname", "");
  }
}
