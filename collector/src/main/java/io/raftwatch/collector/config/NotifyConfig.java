package io.raftwatch.collector.config;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The {@code notify:} section of {@code raftwatch.yaml}: where firing and resolved alerts are
 * sent. Immutable; read by {@code notify.Notifier}. Empty lists mean nothing is sent.
 *
 * @param alertmanagers Alertmanagers fed through their v2 API, as Prometheus feeds them
 * @param webhooks plain endpoints fed with Alertmanager's webhook payload
 * @param resendDelay how often a firing alert is sent again (Prometheus's {@code
 *     --rules.alert.resend-delay}, default 1m)
 * @param queueCapacity alerts waiting to be sent; beyond it the oldest are dropped (Prometheus's
 *     {@code --alertmanager.notification-queue-capacity}, default 10000)
 * @param externalLabels added to every alert that does not have the label (Prometheus's {@code
 *     external_labels})
 * @param externalUrl the base of each alert's {@code generatorURL} and the webhook payload's
 *     {@code externalURL}; empty means the collector's own address
 */
public record NotifyConfig(
    List<AlertmanagerConfig> alertmanagers,
    List<WebhookConfig> webhooks,
    Duration resendDelay,
    int queueCapacity,
    Map<String, String> externalLabels,
    Optional<URI> externalUrl) {

  public static final Duration DEFAULT_RESEND_DELAY = Duration.ofMinutes(1);
  public static final int DEFAULT_QUEUE_CAPACITY = 10_000;

  public NotifyConfig {
    alertmanagers = List.copyOf(alertmanagers);
    webhooks = List.copyOf(webhooks);
    externalLabels = Map.copyOf(externalLabels);
  }

  /** No receivers: what a file without {@code notify:} means. */
  public static NotifyConfig none() {
    return new NotifyConfig(List.of(), List.of(), DEFAULT_RESEND_DELAY, DEFAULT_QUEUE_CAPACITY,
        Map.of(), Optional.empty());
  }

  /** Whether any receiver is configured. */
  public boolean enabled() {
    return !alertmanagers.isEmpty() || !webhooks.isEmpty();
  }
}
