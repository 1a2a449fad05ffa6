package io.raftwatch.collector.web;

import io.prometheus.client.CollectorRegistry;
import io.prometheus.client.Counter;

/**
 * The web server's own metrics, registered on the registry passed in (the collector's), never the
 * default one. Updated by the server's threads; thread-safe.
 *
 * <pre>
 * raftwatch_collector_http_requests_total{handler="/api/v1/query",code="200"} 42
 * raftwatch_collector_http_requests_total{handler="/api/v1/query",code="400"} 1
 * </pre>
 */
public final class WebMetrics {
  private final Counter requests;

  public WebMetrics(CollectorRegistry registry) {
    requests =
        Counter.build(
                "raftwatch_collector_http_requests_total",
                "HTTP requests answered by the collector's web server, by route and status code.")
            .labelNames("handler", "code")
            .register(registry);
  }

  void countRequest(String handler, int code) {
    requests.labels(handler, Integer.toString(code)).inc();
  }
}
