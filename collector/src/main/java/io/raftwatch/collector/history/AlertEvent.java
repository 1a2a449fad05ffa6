package io.raftwatch.collector.history;

import java.time.Instant;
import java.util.Collections;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * One transition of one alert, as the rule evaluation saw it: it became pending, it fired, or it
 * was resolved (its expression stopped returning it, whether it had fired or was still pending).
 * Immutable; made on the job thread by {@link io.raftwatch.collector.jobs.ClusterWatch}, stored by
 * {@link HistoryStore}, passed to every {@link AlertEventListener}.
 *
 * @param cluster the cluster whose rules produced it
 * @param alertname the alerting rule's name (also the {@code alertname} label)
 * @param kind what happened
 * @param labels the alert's labels, {@code alertname} included, sorted by name
 * @param annotations the expanded annotations at that evaluation, sorted by name
 * @param value the expression's value at the latest evaluation that returned the alert
 * @param activeAt since when the expression has returned it (the start of its {@code for} clock)
 * @param at the evaluation time at which the transition happened
 */
public record AlertEvent(String cluster, String alertname, Kind kind, SortedMap<String, String> labels,
    SortedMap<String, String> annotations, double value, Instant activeAt, Instant at) {

  /** The three transitions an alert makes (see the diagram on {@code rules.AlertingRule}). */
  public enum Kind {
    /** Its expression returns it, but its {@code for} has not passed yet. */
    PENDING,
    /** Its expression has returned it for at least {@code for}. */
    FIRING,
    /** Its expression no longer returns it (it was pending or firing before). */
    RESOLVED
  }

  public AlertEvent {
    labels = Collections.unmodifiableSortedMap(new TreeMap<>(labels));
    annotations = Collections.unmodifiableSortedMap(new TreeMap<>(annotations));
  }

  /** A sorted copy of {@code map}, for the constructor's callers. */
  public static SortedMap<String, String> sorted(Map<String, String> map) {
    return new TreeMap<>(map);
  }

  /** The {@code severity} label, "" when the rule sets none. */
  public String severity() {
    return labels.getOrDefault("severity", "");
  }
}
