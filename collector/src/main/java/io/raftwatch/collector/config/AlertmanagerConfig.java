package io.raftwatch.collector.config;

import java.net.URI;
import java.util.List;

/**
 * A set of Alertmanagers that share one connection set-up, like one entry of Prometheus's {@code
 * alerting.alertmanagers}. Every alert is posted to every URL (Alertmanagers deduplicate among
 * themselves); Immutable.
 *
 * @param urls base URLs, e.g. {@code http://10.0.0.9:9093}; alerts go to {@code
 *     <url>/api/v2/alerts}, so a path prefix is part of the URL
 * @param http timeout, TLS and authentication for all of them
 */
public record AlertmanagerConfig(List<URI> urls, HttpClientConfig http) {
  public AlertmanagerConfig {
    urls = List.copyOf(urls);
  }
}
