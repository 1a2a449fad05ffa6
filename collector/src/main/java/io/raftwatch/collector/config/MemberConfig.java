package io.raftwatch.collector.config;

import java.net.URI;
import java.util.Optional;

/**
 * One member of a cluster.
 *
 * @param name the {@code member} label
 * @param url the member's client URL, as etcdctl's {@code --endpoints} takes it
 * @param metricsUrl etcd's separate {@code --listen-metrics-urls} listener, when the member has
 *     one and it should be scraped instead of the client port
 */
public record MemberConfig(String name, URI url, Optional<URI> metricsUrl) {

  /**
   * The URL scraped: the metrics URL if given, else the client URL; {@code /metrics} is added
   * when the URL has no path.
   */
  public URI scrapeUrl() {
    URI base = metricsUrl.orElse(url);
    String path = base.getRawPath();
    if (path == null || path.isEmpty() || path.equals("/")) {
      return URI.create(base.getScheme() + "://" + base.getRawAuthority() + "/metrics");
    }
    return base;
  }

  /** The {@code instance} label: host:port of the scraped URL, as Prometheus writes it. */
  public String instance() {
    URI target = scrapeUrl();
    int port = target.getPort();
    if (port == -1) {
      port = "https".equals(target.getScheme()) ? 443 : 80;
    }
    String host = target.getHost();
    if (host.indexOf(':') >= 0 && !host.startsWith("[")) {
      host = "[" + host + "]";
    }
    return host + ":" + port;
  }
}
