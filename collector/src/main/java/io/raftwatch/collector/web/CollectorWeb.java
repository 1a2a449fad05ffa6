package io.raftwatch.collector.web;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.raftwatch.collector.health.ClusterState;
import io.raftwatch.collector.history.AlertEvent;
import io.raftwatch.collector.jobs.ClusterWatch;
import io.raftwatch.collector.jobs.Collector;
import io.raftwatch.collector.promql.EngineOptions;
import io.raftwatch.collector.report.CollectorReports;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The web server of a running {@link Collector}: the page, its JSON API and event stream, the
 * Prometheus-compatible API, {@code /metrics}. The composition root of this package, started by
 * {@code cli.RunCommand} (and the demo) with {@link #start} and stopped with {@link #close()}.
 *
 * <p>Live refresh: the page's {@link EventStream} gets an {@code alerts} event from the
 * collector's {@link io.raftwatch.collector.history.AlertEventListener} call after each evaluation
 * with transitions, and a {@code state} event when a cluster's {@link ClusterState} snapshot
 * changed, which a tick on this object's own thread notices (every {@code tick}).
 */
public final class CollectorWeb implements AutoCloseable {
  private static final JsonFactory JSON = new JsonFactory();
  private static final Logger LOG = LoggerFactory.getLogger(CollectorWeb.class);

  private final WebServer server;
  private final EventStream events;
  private final ScheduledExecutorService ticker;
  // The snapshot each cluster had at the last tick, by cluster name; only the tick thread uses it.
  private final Map<String, ClusterState> seen = new HashMap<>();

  private CollectorWeb(WebServer server, EventStream events, ScheduledExecutorService ticker) {
    this.server = server;
    this.events = events;
    this.ticker = ticker;
  }

  /**
   * Serves {@code collector} on {@code address}; call before or after {@link Collector#start()}.
   *
   * @throws IOException when the address cannot be bound (in use, not local)
   */
  public static CollectorWeb start(Collector collector, InetSocketAddress address, Duration tick)
      throws IOException {
    EventStream events = new EventStream(64, Duration.ofSeconds(15));
    WebServer.Builder b = WebServer.builder(address, new WebMetrics(collector.registry()));
    new PageResources().register(b);
    new PageApi(collector::clusters, collector.history(), collector.engine(),
        collector.options().clock(), collector.store().retention()).register(b);
    new PrometheusApi(collector.store(), EngineOptions.defaults(), collector.options().clock(),
        version()).register(b);
    new RulesApi(collector::clusters).register(b);
    new ReportPages(collector, new CollectorReports(), collector.options().clock()).register(b);
    new MetricsEndpoint(collector.registry()).register(b);
    b.eventStream("/api/events", events);
    WebServer server;
    try {
      server = b.start();
    } catch (IOException | RuntimeException e) {
      events.close();
      throw e;
    }
    ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "raftwatch-web-tick");
      t.setDaemon(true);
      return t;
    });
    CollectorWeb web = new CollectorWeb(server, events, ticker);
    collector.addListener(web::onAlertEvents);
    ticker.scheduleWithFixedDelay(() -> web.tick(collector.clusters()), tick.toMillis(),
        tick.toMillis(), TimeUnit.MILLISECONDS);
    return web;
  }

  /** The page's address, such as {@code http://127.0.0.1:9095}. */
  public URI baseUri() {
    return server.baseUri();
  }

  /** The bound address, with the real port. */
  public InetSocketAddress address() {
    return server.address();
  }

  private void onAlertEvents(List<AlertEvent> list) {
    events.publish("alerts", json(g -> {
      g.writeStringField("cluster", list.get(0).cluster());
      g.writeNumberField("transitions", list.size());
    }));
  }

  private void tick(List<ClusterWatch> clusters) {
    try {
      publishChangedStates(clusters);
    } catch (RuntimeException e) {
      // A scheduled task that throws is never run again; keep ticking.
      LOG.error("web: checking the clusters' state failed", e);
    }
  }

  private void publishChangedStates(List<ClusterWatch> clusters) {
    for (ClusterWatch w : clusters) {
      ClusterState now = w.state();
      // Snapshots are replaced, never changed, so identity says whether a run happened.
      if (seen.put(w.name(), now) != now) {
        events.publish("state", json(g -> {
          g.writeStringField("cluster", w.name());
          g.writeStringField("evaluatedAt",
              now.evaluatedAt().map(PromJson::rfc3339).orElse(""));
        }));
      }
    }
  }

  private interface Fields {
    void write(JsonGenerator g) throws IOException;
  }

  private static String json(Fields fields) {
    StringWriter out = new StringWriter();
    try (JsonGenerator g = JSON.createGenerator(out)) {
      g.writeStartObject();
      fields.write(g);
      g.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toString();
  }

  /** raftwatch's version from the jar's manifest. */
  static String version() {
    String v = CollectorWeb.class.getPackage().getImplementationVersion();
    return v == null ? "development build" : v;
  }

  /** Stops the tick, closes the event streams and the server. */
  @Override
  public void close() {
    ticker.shutdownNow();
    server.close();
  }
}
