package io.raftwatch.collector.notify;

import io.prometheus.client.CollectorRegistry;
import io.prometheus.client.Counter;
import io.prometheus.client.Gauge;
import io.prometheus.client.Summary;

/**
 * The notifier's own metrics, Prometheus's {@code prometheus_notifications_*} under the
 * collector's prefix. The {@code receiver} label is the Alertmanager's push URL, or {@code
 * webhook/<name>} for a webhook (a webhook URL can hold a token, so it is never a label value).
 *
 * <pre>
 * raftwatch_collector_notifications_sent_total{receiver="http://127.0.0.1:9093/api/v2/alerts"} 12.0
 * raftwatch_collector_notifications_errors_total{receiver="http://127.0.0.1:9093/api/v2/alerts"} 1.0
 * raftwatch_collector_notifications_dropped_total 0.0
 * raftwatch_collector_notifications_queue_length 0.0
 * raftwatch_collector_notifications_queue_capacity 10000.0
 * raftwatch_collector_notifications_latency_seconds_count{receiver="webhook/ops"} 3.0
 * raftwatch_collector_notifications_latency_seconds_sum{receiver="webhook/ops"} 0.012
 * </pre>
 *
 * Built once per notifier with the registry passed in; thread-safe.
 */
final class NotifyMetrics {
  final Counter sent;
  final Counter errors;
  final Counter dropped;
  final Gauge queueLength;
  final Gauge queueCapacity;
  final Summary latency;

  NotifyMetrics(CollectorRegistry registry) {
    sent = Counter.build("raftwatch_collector_notifications_sent_total",
            "Alerts delivered to a receiver (an Alertmanager or a webhook).")
        .labelNames("receiver").register(registry);
    errors = Counter.build("raftwatch_collector_notifications_errors_total",
            "Alerts in requests that a receiver failed or refused.")
        .labelNames("receiver").register(registry);
    dropped = Counter.build("raftwatch_collector_notifications_dropped_total",
            "Alerts dropped: queue full, or no Alertmanager took the batch.")
        .register(registry);
    queueLength = Gauge.build("raftwatch_collector_notifications_queue_length",
            "Alerts waiting to be posted to the Alertmanagers.")
        .register(registry);
    queueCapacity = Gauge.build("raftwatch_collector_notifications_queue_capacity",
            "The capacity of the Alertmanager queue.")
        .register(registry);
    latency = Summary.build("raftwatch_collector_notifications_latency_seconds",
            "Time to post one batch to a receiver.")
        .labelNames("receiver").register(registry);
  }
}
