package io.raftwatch.collector.web;

import io.prometheus.client.CollectorRegistry;
import io.prometheus.client.exporter.common.TextFormat;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Set;

/**
 * The collector's own {@code /metrics}: every metric of the collector's {@link CollectorRegistry}
 * ({@code raftwatch_collector_*}, including this server's request counter) in the Prometheus text
 * format 0.0.4. Called on a worker thread; reads the registry, which is thread-safe.
 */
public final class MetricsEndpoint {
  private final CollectorRegistry registry;

  public MetricsEndpoint(CollectorRegistry registry) {
    this.registry = registry;
  }

  /** Adds {@code /metrics} to {@code server}. */
  public void register(WebServer.Builder server) {
    server.route("/metrics", Set.of("GET"), r -> scrape());
  }

  private WebResponse scrape() throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (Writer w = new OutputStreamWriter(out, StandardCharsets.UTF_8)) {
      TextFormat.write004(w, registry.metricFamilySamples());
    }
    return new WebResponse(200, TextFormat.CONTENT_TYPE_004, out.toByteArray());
  }
}
