package io.raftwatch.collector.notify;

import io.raftwatch.collector.config.WebhookConfig;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.ExecutorService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers Alertmanager-style webhook notifications to one plain endpoint: keeps the endpoint's
 * {@link WebhookGroups}, turns due groups into payloads and posts them on the executor. The
 * groups are touched only under the notifier's lock ({@link #offer} and {@link #flush} are called
 * with it held; completions take it). Logs the webhook by name only: its URL may hold a token.
 */
final class WebhookSender {
  private static final Logger log = LoggerFactory.getLogger(WebhookSender.class);

  private final WebhookConfig config;
  private final ReceiverClient client;
  private final NotifyMetrics metrics;
  private final ExecutorService executor;
  private final Object lock;
  private final String externalUrl;
  private final String receiverLabel;
  private final WebhookGroups groups;

  WebhookSender(WebhookConfig config, ReceiverClient client, NotifyMetrics metrics,
      ExecutorService executor, Object lock, String externalUrl) {
    this.config = config;
    this.client = client;
    this.metrics = metrics;
    this.executor = executor;
    this.lock = lock;
    this.externalUrl = externalUrl;
    this.receiverLabel = "webhook/" + config.name();
    this.groups = new WebhookGroups(config.repeatInterval());
    metrics.sent.labels(receiverLabel);
    metrics.errors.labels(receiverLabel);
  }

  /** Hands in the alerts just sent to the Alertmanagers. Caller holds the lock. */
  void offer(List<OutgoingAlert> alerts) {
    groups.add(alerts);
  }

  /** Starts a post for every group due at {@code now}. Caller holds the lock. */
  void flush(Instant now) {
    for (WebhookMessage message : groups.due(now)) {
      byte[] body = WebhookPayload.encode(config.name(), message, externalUrl);
      executor.execute(() -> post(message, body));
    }
  }

  private void post(WebhookMessage message, byte[] body) {
    long start = System.nanoTime();
    boolean ok = false;
    try {
      client.post(config.url(), body);
      ok = true;
      metrics.sent.labels(receiverLabel).inc(message.alerts().size());
    } catch (Exception e) {
      log.warn("Error sending {} alerts of group {} to webhook {}: {}", message.alerts().size(),
          message.groupLabels(), config.name(), e.getMessage());
      metrics.errors.labels(receiverLabel).inc(message.alerts().size());
    } finally {
      metrics.latency.labels(receiverLabel).observe((System.nanoTime() - start) / 1e9);
    }
    synchronized (lock) {
      if (ok) {
        groups.delivered(message);
      } else {
        groups.failed(message);
      }
    }
  }
}
