package io.raftwatch.collector.notify;

import io.raftwatch.collector.tsdb.Labels;
import java.time.Instant;
import java.util.List;

/**
 * One notification for one alert group, before it is encoded as Alertmanager's webhook payload by
 * {@link WebhookPayload}. Immutable.
 *
 * @param groupLabels the grouping labels' values ({@code alertname}, {@code cluster})
 * @param alerts every alert of the group, firing and resolved, in Alertmanager's order
 * @param at the time the message was made; an alert whose end is not after it is resolved
 */
record WebhookMessage(Labels groupLabels, List<OutgoingAlert> alerts, Instant at) {
  WebhookMessage {
    alerts = List.copyOf(alerts);
  }

  /** "firing" when any alert fires, else "resolved", as Alertmanager's {@code status}. */
  String status() {
    return alerts.stream().anyMatch(a -> !a.resolvedAt(at)) ? "firing" : "resolved";
  }

  /**
   * Alertmanager's group key for a root route grouping by these labels: {@code
   * {}:{alertname="X", cluster="Y"}}.
   */
  String groupKey() {
    return "{}:" + groupLabels;
  }
}
