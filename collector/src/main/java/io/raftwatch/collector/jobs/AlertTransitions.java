package io.raftwatch.collector.jobs;

import io.raftwatch.collector.health.ClusterState.ActiveAlert;
import io.raftwatch.collector.history.AlertEvent;
import io.raftwatch.collector.rules.AlertState;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;

/**
 * Turns successive lists of active alerts into transitions: an alert seen pending for the first
 * time is PENDING, seen firing for the first time FIRING, no longer seen (or resolved) RESOLVED.
 * Starts from the alerts the history says were open, so a restart repeats no transition. Used by
 * one {@link ClusterWatch}, on its job thread only.
 */
final class AlertTransitions {
  private final String cluster;
  // The last reported state of every open alert, keyed by its labels (alertname included).
  private final Map<SortedMap<String, String>, ActiveAlert> open = new LinkedHashMap<>();

  /** @param openAlerts the alerts the history says are pending or firing, oldest first */
  AlertTransitions(String cluster, List<AlertEvent> openAlerts) {
    this.cluster = cluster;
    for (AlertEvent e : openAlerts) {
      AlertState state = e.kind() == AlertEvent.Kind.FIRING ? AlertState.FIRING : AlertState.PENDING;
      open.put(e.labels(), new ActiveAlert(e.alertname(), state, e.severity(), e.labels(),
          e.annotations(), e.value(), e.activeAt(),
          state == AlertState.FIRING ? Optional.of(e.at()) : Optional.empty()));
    }
  }

  /** The alerts the history had open at start, by labels; what a restart restores. */
  List<ActiveAlert> open() {
    return List.copyOf(open.values());
  }

  /** The transitions from the previous call's alerts to {@code alerts}, all stamped {@code at}. */
  List<AlertEvent> next(List<ActiveAlert> alerts, Instant at) {
    List<AlertEvent> events = new ArrayList<>();
    Map<SortedMap<String, String>, ActiveAlert> seen = new HashMap<>();
    for (ActiveAlert a : alerts) {
      seen.put(a.labels(), a);
      ActiveAlert before = open.put(a.labels(), a);
      if (before == null || before.state() != a.state()) {
        events.add(event(a, a.state() == AlertState.FIRING ? AlertEvent.Kind.FIRING
            : AlertEvent.Kind.PENDING, at));
      }
    }
    for (Iterator<ActiveAlert> it = open.values().iterator(); it.hasNext(); ) {
      ActiveAlert a = it.next();
      if (!seen.containsKey(a.labels())) {
        it.remove();
        events.add(event(a, AlertEvent.Kind.RESOLVED, at));
      }
    }
    return events;
  }

  private AlertEvent event(ActiveAlert a, AlertEvent.Kind kind, Instant at) {
    return new AlertEvent(cluster, a.alertname(), kind, a.labels(), a.annotations(), a.value(),
        a.activeAt(), at);
  }
}
