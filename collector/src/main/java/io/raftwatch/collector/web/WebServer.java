package io.raftwatch.collector.web;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The collector's HTTP server on the JDK's {@code com.sun.net.httpserver}: routes requests to
 * {@link Endpoint}s, turns {@link ApiException}s into Prometheus's error JSON, counts requests in
 * {@code raftwatch_collector_http_requests_total}, and hands {@code text/event-stream} requests to
 * an {@link EventStream}.
 *
 * <p>Threads: the JDK's dispatcher thread accepts connections; a bounded pool of workers runs the
 * endpoints (when its queue is full the dispatcher runs the request itself, which slows accepting
 * rather than dropping work). Event streams hold no worker: their connections stay open after the
 * handler returns and are written by the {@link EventStream}'s own thread. Built with {@link
 * #builder}, started by {@link Builder#start()} (the composition root, {@code cli.RunCommand}, and
 * tests), stopped by {@link #close()}. A bug in an endpoint is logged with its stack trace and
 * answered 500 with a one-line message; the client never sees a trace.
 */
public final class WebServer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(WebServer.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int MAX_BODY_BYTES = 1 << 20;

  private final HttpServer server;
  private final ThreadPoolExecutor workers;
  private final List<EventStream> streams;

  private WebServer(HttpServer server, ThreadPoolExecutor workers, List<EventStream> streams) {
    this.server = server;
    this.workers = workers;
    this.streams = streams;
  }

  /** A server to bind to {@code address} (port 0 for an ephemeral one), counting in {@code metrics}. */
  public static Builder builder(InetSocketAddress address, WebMetrics metrics) {
    return new Builder(address, metrics);
  }

  /** The address the server listens on, with the real port. */
  public InetSocketAddress address() {
    return server.getAddress();
  }

  /** {@code http://host:port}, for logs, the CLI and tests. */
  public URI baseUri() {
    InetSocketAddress a = address();
    return URI.create("http://" + a.getHostString() + ":" + a.getPort());
  }

  /** Stops accepting, closes the event streams and waits up to a second for requests in flight. */
  @Override
  public void close() {
    for (EventStream s : streams) {
      s.close();
    }
    server.stop(0);
    workers.shutdown();
    try {
      if (!workers.awaitTermination(1, TimeUnit.SECONDS)) {
        workers.shutdownNow();
      }
    } catch (InterruptedException e) {
      workers.shutdownNow();
      Thread.currentThread().interrupt();
    }
  }

  /** Collects routes, then starts the server. Used on one thread. */
  public static final class Builder {
    private final InetSocketAddress address;
    private final WebMetrics metrics;
    private final Map<String, Route> exact = new LinkedHashMap<>();
    private final List<Route> prefixes = new ArrayList<>();
    private final List<EventStream> streams = new ArrayList<>();
    private int threads = 4;

    private Builder(InetSocketAddress address, WebMetrics metrics) {
      this.address = address;
      this.metrics = metrics;
    }

    /** Answers {@code path} exactly, for the given methods (others get 405). */
    public Builder route(String path, Set<String> methods, Endpoint endpoint) {
      exact.put(path, new Route(path, methods, endpoint, null));
      return this;
    }

    /**
     * Answers every path starting with {@code prefix}; {@code handler} is the label the requests
     * are counted under (such as {@code /api/v1/label/:name/values}).
     */
    public Builder prefixRoute(String prefix, String handler, Set<String> methods, Endpoint e) {
      prefixes.add(new Route(prefix, methods, e, handler));
      return this;
    }

    /** Serves {@code stream} at {@code path} (GET). */
    public Builder eventStream(String path, EventStream stream) {
      streams.add(stream);
      exact.put(path, new Route(path, Set.of("GET"), null, null, stream));
      return this;
    }

    /** The number of worker threads (default 4). */
    public Builder threads(int n) {
      this.threads = n;
      return this;
    }

    /** Binds and starts serving. */
    public WebServer start() throws IOException {
      HttpServer server = HttpServer.create(address, 64);
      AtomicInteger n = new AtomicInteger();
      ThreadPoolExecutor workers =
          new ThreadPoolExecutor(
              threads,
              threads,
              30,
              TimeUnit.SECONDS,
              new ArrayBlockingQueue<>(128),
              r -> {
                Thread t = new Thread(r, "raftwatch-web-" + n.incrementAndGet());
                t.setDaemon(true);
                return t;
              },
              new ThreadPoolExecutor.CallerRunsPolicy());
      server.setExecutor(workers);
      Dispatch dispatch = new Dispatch(Map.copyOf(exact), List.copyOf(prefixes), metrics);
      server.createContext("/", dispatch::handle);
      server.start();
      return new WebServer(server, workers, List.copyOf(streams));
    }
  }

  private record Route(
      String path, Set<String> methods, Endpoint endpoint, String handler, EventStream stream) {
    Route(String path, Set<String> methods, Endpoint endpoint, String handler) {
      this(path, methods, endpoint, handler, null);
    }

    String label() {
      return handler != null ? handler : path;
    }
  }

  private record Dispatch(Map<String, Route> exact, List<Route> prefixes, WebMetrics metrics) {
    void handle(HttpExchange exchange) {
      String path = exchange.getRequestURI().getPath();
      Route route = find(path);
      String label = route == null ? "unmatched" : route.label();
      int status;
      try {
        if (route != null && route.stream() != null
            && route.methods().contains(exchange.getRequestMethod())) {
          status = 200;
          metrics.countRequest(label, status);
          route.stream().open(exchange);
          return; // The stream owns the exchange now.
        }
        WebResponse response = respond(exchange, route, path);
        status = response.status();
        write(exchange, response);
      } catch (IOException e) {
        // The client went away while we read or wrote; nothing to answer.
        LOG.debug("{} {}: {}", exchange.getRequestMethod(), path, e.toString());
        status = 499;
        exchange.close();
      }
      metrics.countRequest(label, status);
    }

    private Route find(String path) {
      Route r = exact.get(path);
      if (r != null) {
        return r;
      }
      for (Route p : prefixes) {
        if (path.startsWith(p.path())) {
          return p;
        }
      }
      return null;
    }

    private WebResponse respond(HttpExchange exchange, Route route, String path)
        throws IOException {
      boolean api = path.startsWith("/api/");
      if (route == null) {
        return api
            ? error(new ApiException(ApiException.ErrorType.NOT_FOUND, "no endpoint " + path))
            : WebResponse.text(404, "404 page not found: " + path + "\n");
      }
      String method = exchange.getRequestMethod();
      if (!route.methods().contains(method)) {
        exchange.getResponseHeaders().set("Allow", String.join(", ", route.methods()));
        return WebResponse.text(405, "method " + method + " not allowed on " + path + "\n");
      }
      String form = "";
      if (method.equals("POST")) {
        String type = exchange.getRequestHeaders().getFirst("Content-Type");
        byte[] body = readBody(exchange.getRequestBody());
        if (body == null) {
          return WebResponse.text(413, "request body over " + MAX_BODY_BYTES + " bytes\n");
        }
        if (type != null && type.startsWith("application/x-www-form-urlencoded")) {
          form = new String(body, StandardCharsets.UTF_8);
        }
      }
      WebRequest request =
          WebRequest.of(method, path, exchange.getRequestURI().getRawQuery(), form);
      try {
        return route.endpoint().handle(request);
      } catch (ApiException e) {
        return error(e);
      } catch (RuntimeException e) {
        LOG.error("{} {} failed", method, path, e);
        return error(
            new ApiException(
                ApiException.ErrorType.INTERNAL,
                "internal error in " + path + ", see the collector's log"));
      }
    }

    private static byte[] readBody(InputStream in) throws IOException {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      byte[] buf = new byte[8192];
      int r;
      while ((r = in.read(buf)) > 0) {
        out.write(buf, 0, r);
        if (out.size() > MAX_BODY_BYTES) {
          return null;
        }
      }
      return out.toByteArray();
    }

    private static void write(HttpExchange exchange, WebResponse response) throws IOException {
      exchange.getResponseHeaders().set("Content-Type", response.contentType());
      exchange.getResponseHeaders().set("Cache-Control", "no-store");
      response.headers().forEach(exchange.getResponseHeaders()::set);
      byte[] body = response.body();
      exchange.sendResponseHeaders(response.status(), body.length == 0 ? -1 : body.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    }
  }

  /** Prometheus's error JSON: {@code {"status":"error","errorType":"bad_data","error":"..."}}. */
  static WebResponse error(ApiException e) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (JsonGenerator g = JSON.getFactory().createGenerator(out)) {
      g.writeStartObject();
      g.writeStringField("status", "error");
      g.writeStringField("errorType", e.type().wireName());
      g.writeStringField("error", e.getMessage());
      g.writeEndObject();
    } catch (IOException impossible) {
      throw new IllegalStateException(impossible);
    }
    return new WebResponse(e.type().status(), WebResponse.JSON, out.toByteArray());
  }
}
