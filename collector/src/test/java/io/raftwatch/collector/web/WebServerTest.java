package io.raftwatch.collector.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.prometheus.client.CollectorRegistry;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The server's routing, error answers, request metrics, page files and event stream. */
class WebServerTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  private final CollectorRegistry registry = new CollectorRegistry();
  private EventStream events;
  private WebServer server;

  @BeforeEach
  void start() throws Exception {
    events = new EventStream(2, Duration.ofHours(1));
    WebServer.Builder b =
        WebServer.builder(new InetSocketAddress("127.0.0.1", 0), new WebMetrics(registry));
    b.route("/api/boom", Set.of("GET"), r -> {
      throw new IllegalStateException("secret detail /etc/ssl/private/key.pem");
    });
    b.route("/api/echo", Set.of("GET", "POST"),
        r -> WebResponse.text(200, r.method() + " " + r.param("a") + " " + r.params("b")));
    b.route("/api/refuse", Set.of("GET"), r -> {
      throw ApiException.invalidParam("since", "cannot parse \"x\" to a valid duration");
    });
    b.eventStream("/api/events", events);
    new MetricsEndpoint(registry).register(b);
    new PageResources().register(b);
    server = b.start();
  }

  @AfterEach
  void stop() {
    server.close();
  }

  @Test
  void aBugIsAnswered500WithoutAStackTraceOrDetails() throws Exception {
    HttpResponse<String> r = get("/api/boom");
    assertThat(r.statusCode()).isEqualTo(500);
    JsonNode body = JSON.readTree(r.body());
    assertThat(body.get("status").asText()).isEqualTo("error");
    assertThat(body.get("errorType").asText()).isEqualTo("internal");
    assertThat(body.get("error").asText()).isEqualTo(
        "internal error in /api/boom, see the collector's log");
    assertThat(r.body()).doesNotContain("key.pem").doesNotContain("at io.raftwatch");
  }

  @Test
  void aRefusedParameterIsBadDataWithItsName() throws Exception {
    HttpResponse<String> r = get("/api/refuse");
    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(r.headers().firstValue("Content-Type")).hasValue("application/json");
    assertThat(r.body()).isEqualTo("{\"status\":\"error\",\"errorType\":\"bad_data\","
        + "\"error\":\"invalid parameter \\\"since\\\": cannot parse \\\"x\\\" to a valid duration\"}");
  }

  @Test
  void unknownPathsAndMethodsAreRefused() throws Exception {
    HttpResponse<String> api = get("/api/nothing");
    assertThat(api.statusCode()).isEqualTo(404);
    assertThat(JSON.readTree(api.body()).get("errorType").asText()).isEqualTo("not_found");
    assertThat(get("/nothing").statusCode()).isEqualTo(404);
    HttpResponse<String> delete = http.send(
        HttpRequest.newBuilder(uri("/api/echo")).DELETE().build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(delete.statusCode()).isEqualTo(405);
    assertThat(delete.headers().firstValue("Allow")).isPresent();
  }

  @Test
  void formBodyAndQueryStringParametersMerge() throws Exception {
    HttpResponse<String> r = http.send(
        HttpRequest.newBuilder(uri("/api/echo?b=2&a=fromQuery"))
            .header("Content-Type", "application/x-www-form-urlencoded")
            .POST(HttpRequest.BodyPublishers.ofString("a=from+body&b=1%262")).build(),
        HttpResponse.BodyHandlers.ofString());
    // As Go's ParseForm: body values first, so FormValue("a") is the body's.
    assertThat(r.body()).isEqualTo("POST from body [1&2, 2]");
  }

  @Test
  void metricsCountRequestsByHandlerAndCode() throws Exception {
    get("/api/refuse");
    get("/api/refuse");
    get("/api/echo?a=1");
    get("/api/nothing");
    HttpResponse<String> metrics = get("/metrics");
    assertThat(metrics.headers().firstValue("Content-Type").orElse(""))
        .startsWith("text/plain; version=0.0.4");
    assertThat(metrics.body())
        .contains("raftwatch_collector_http_requests_total{handler=\"/api/refuse\",code=\"400\",} 2.0")
        .contains("raftwatch_collector_http_requests_total{handler=\"/api/echo\",code=\"200\",} 1.0")
        .contains("raftwatch_collector_http_requests_total{handler=\"unmatched\",code=\"404\",} 1.0");
  }

  @Test
  void thePageAndItsFilesAreServed() throws Exception {
    HttpResponse<String> page = get("/");
    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(page.headers().firstValue("Content-Type")).hasValue("text/html; charset=utf-8");
    assertThat(page.body()).contains("<script src=\"/app.js\"").doesNotContain("http://")
        .doesNotContain("https://");
    assertThat(get("/app.js").headers().firstValue("Content-Type"))
        .hasValue("text/javascript; charset=utf-8");
    assertThat(get("/app.css").statusCode()).isEqualTo(200);
  }

  @Test
  void eventsReachOpenStreamsAndExtraStreamsAreRefused() throws Exception {
    HttpResponse<InputStream> first = http.send(HttpRequest.newBuilder(uri("/api/events")).build(),
        HttpResponse.BodyHandlers.ofInputStream());
    HttpResponse<InputStream> second = http.send(HttpRequest.newBuilder(uri("/api/events")).build(),
        HttpResponse.BodyHandlers.ofInputStream());
    assertThat(first.headers().firstValue("Content-Type").orElse(""))
        .startsWith("text/event-stream");
    HttpResponse<String> third = get("/api/events");
    assertThat(third.statusCode()).isEqualTo(503);
    try (BufferedReader a = reader(first); BufferedReader b = reader(second)) {
      assertThat(frame(a)).isEqualTo("retry: 2000\nevent: hello\ndata: {}");
      assertThat(frame(b)).isEqualTo("retry: 2000\nevent: hello\ndata: {}");
      events.publish("state", "{\"cluster\":\"prod\"}");
      assertThat(frame(a)).isEqualTo("event: state\ndata: {\"cluster\":\"prod\"}");
      assertThat(frame(b)).isEqualTo("event: state\ndata: {\"cluster\":\"prod\"}");
    }
  }

  private static BufferedReader reader(HttpResponse<InputStream> r) {
    return new BufferedReader(new InputStreamReader(r.body(), StandardCharsets.UTF_8));
  }

  /** The lines of the next event, up to the blank line that ends it. */
  private static String frame(BufferedReader in) throws Exception {
    StringBuilder sb = new StringBuilder();
    for (String line = in.readLine(); line != null && !line.isEmpty(); line = in.readLine()) {
      sb.append(sb.length() > 0 ? "\n" : "").append(line);
    }
    return sb.toString();
  }

  private HttpResponse<String> get(String path) throws Exception {
    return http.send(HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(5)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private URI uri(String path) {
    return server.baseUri().resolve(path);
  }
}
