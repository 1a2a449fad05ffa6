package io.raftwatch.raftkv.api;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsParameters;
import com.sun.net.httpserver.HttpsServer;
import io.prometheus.client.CollectorRegistry;
import io.prometheus.client.exporter.common.TextFormat;
import java.io.IOException;
import java.io.OutputStream;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;
import java.util.function.BooleanSupplier;
import javax.net.ssl.SSLContext;

/**
 * etcd's HTTP surface on a metrics URL: {@code /metrics} (Prometheus text 0.0.4), {@code /health}
 * (etcd's JSON, {@code false} with status 503 while there is no leader) and {@code /version}. With
 * an SSL context the listener is HTTPS and, if {@code requireClientCert}, demands a client
 * certificate, as etcd 3.4 serves an https {@code --listen-metrics-urls} with the client TLS
 * settings. Requests run on a small pool of their own; nothing here holds state.
 */
public final class HttpEndpoints implements AutoCloseable {
  private static final String VERSION = "{\"etcdserver\":\"3.4.23\",\"etcdcluster\":\"3.4.0\"}";

  private final HttpServer server;

  private HttpEndpoints(HttpServer server) {
    this.server = server;
  }

  public static HttpEndpoints start(InetSocketAddress address, SSLContext tls,
      boolean requireClientCert, CollectorRegistry registry, BooleanSupplier hasLeader)
      throws IOException {
    HttpServer server;
    if (tls == null) {
      server = HttpServer.create(address, 16);
    } else {
      HttpsServer https = HttpsServer.create(address, 16);
      https.setHttpsConfigurator(new HttpsConfigurator(tls) {
        @Override
        public void configure(HttpsParameters params) {
          params.setNeedClientAuth(requireClientCert);
        }
      });
      server = https;
    }
    server.createContext("/metrics", ex -> {
      StringWriter body = new StringWriter();
      TextFormat.write004(body, registry.metricFamilySamples());
      reply(ex, 200, TextFormat.CONTENT_TYPE_004, body.toString());
    });
    server.createContext("/health", ex -> {
      boolean ok = hasLeader.getAsBoolean();
      reply(ex, ok ? 200 : 503, "application/json", "{\"health\":\"" + ok + "\"}");
    });
    server.createContext("/version", ex -> reply(ex, 200, "application/json", VERSION));
    server.setExecutor(Executors.newFixedThreadPool(2, r -> {
      Thread t = new Thread(r, "http-endpoints");
      t.setDaemon(true);
      return t;
    }));
    server.start();
    return new HttpEndpoints(server);
  }

  private static void reply(HttpExchange ex, int status, String type, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    ex.getResponseHeaders().set("Content-Type", type);
    ex.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = ex.getResponseBody()) {
      out.write(bytes);
    }
  }

  public int port() {
    return server.getAddress().getPort();
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
