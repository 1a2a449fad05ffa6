/**
 * Notifications: the collector's firing and resolved alerts sent to Alertmanagers through their
 * v2 API, as Prometheus sends them, and to plain webhooks in Alertmanager's webhook format.
 *
 * <p>{@link io.raftwatch.collector.notify.Notifier} is the shell: fed with alert transitions by
 * the collector, ticked after each evaluation and on a timer, it owns the bounded queue, the
 * sender thread and the HTTP clients. The decisions are plain objects on manual time: {@link
 * io.raftwatch.collector.notify.AlertTracker} (what to send to Alertmanagers and when: resend
 * delay, the {@code endsAt} lease, the 15-minute resolved retention) and {@code WebhookGroups}
 * (when a webhook group is notified, as Alertmanager's dispatcher decides). The wire formats are
 * {@code AlertmanagerPayload} and {@code WebhookPayload}. See docs/notify.md.
 */
package io.raftwatch.collector.notify;
