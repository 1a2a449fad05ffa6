package io.raftwatch.collector.notify;

import io.raftwatch.collector.config.AlertmanagerConfig;
import java.net.URI;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Posts batches of alerts to one set of Alertmanagers ({@code <url>/api/v2/alerts}), all of them
 * at once, as Prometheus's {@code sendAll} does: a batch counts as delivered when at least one
 * Alertmanager of the set took it (they gossip among themselves). Called on the notifier's sender
 * thread; the posts run on the executor passed in. Thread-safe.
 */
final class AlertmanagerSender {
  private static final Logger log = LoggerFactory.getLogger(AlertmanagerSender.class);

  private final List<URI> pushUrls;
  private final ReceiverClient client;
  private final NotifyMetrics metrics;
  private final ExecutorService executor;

  AlertmanagerSender(AlertmanagerConfig config, ReceiverClient client, NotifyMetrics metrics,
      ExecutorService executor) {
    this.pushUrls = config.urls().stream().map(AlertmanagerSender::pushUrl).toList();
    this.client = client;
    this.metrics = metrics;
    this.executor = executor;
    // Present from the start at 0, so that a rate() over them works from the first scrape.
    for (URI u : pushUrls) {
      metrics.sent.labels(u.toString());
      metrics.errors.labels(u.toString());
    }
  }

  /** {@code <base>/api/v2/alerts}, keeping a path prefix such as {@code /alertmanager}. */
  static URI pushUrl(URI base) {
    String path = base.getRawPath() == null ? "" : base.getRawPath().replaceAll("/+$", "");
    return base.resolve(path + "/api/v2/alerts");
  }

  List<URI> pushUrls() {
    return pushUrls;
  }

  /** Posts {@code payload} (holding {@code count} alerts) everywhere; true if any took it. */
  boolean send(byte[] payload, int count) {
    AtomicBoolean delivered = new AtomicBoolean();
    CompletableFuture<?>[] posts = pushUrls.stream()
        .map(url -> CompletableFuture.runAsync(() -> {
          String receiver = url.toString();
          long start = System.nanoTime();
          try {
            client.post(url, payload);
            metrics.sent.labels(receiver).inc(count);
            delivered.set(true);
          } catch (Exception e) {
            log.warn("Error sending {} alerts to Alertmanager {}: {}", count, receiver, e.getMessage());
            metrics.errors.labels(receiver).inc(count);
          } finally {
            metrics.latency.labels(receiver).observe((System.nanoTime() - start) / 1e9);
          }
        }, executor))
        .toArray(CompletableFuture[]::new);
    CompletableFuture.allOf(posts).join();
    return delivered.get();
  }

  /** For messages: the URLs only (they carry no credentials; the config refuses user info). */
  @Override
  public String toString() {
    return "Alertmanagers " + pushUrls;
  }
}
