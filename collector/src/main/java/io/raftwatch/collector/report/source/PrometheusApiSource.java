package io.raftwatch.collector.report.source;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.raftwatch.collector.promql.Value;
import io.raftwatch.collector.scrape.ClientTls;
import io.raftwatch.collector.tsdb.Labels;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import javax.net.ssl.SSLException;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;

/**
 * Answers a report's queries through a Prometheus HTTP API ({@code /api/v1/query}, {@code
 * /api/v1/query_range}, {@code /api/v1/alerts}): a real Prometheus server, or the collector's own
 * Prometheus-compatible API. Optionally over mutual TLS and with a bearer token read from a file;
 * the token is sent only in the Authorization header and never appears in a message or log.
 *
 * <p>Used by {@code raftwatch report} and {@code raftwatch check --prometheus} on the main
 * thread. Close it to release the HTTP client's threads and connections.
 */
public final class PrometheusApiSource implements QuerySource, AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final HttpUrl base;
  private final OkHttpClient client;
  private final Optional<String> authorization;

  private PrometheusApiSource(HttpUrl base, OkHttpClient client, Optional<String> authorization) {
    this.base = base;
    this.client = client;
    this.authorization = authorization;
  }

  /**
   * A source for the API under {@code baseUrl} (e.g. {@code http://127.0.0.1:9090}, or with a
   * path prefix such as {@code https://host/prometheus}).
   *
   * @param tls client TLS for an https URL; empty for the JDK's trusted CAs and no certificate
   * @param bearerTokenFile a file holding the token, read now
   * @param timeout the limit for one request
   * @throws IllegalArgumentException when the URL is not an http(s) URL or the token file cannot be
   *     read (the message names the file, never its content)
   */
  public static PrometheusApiSource create(String baseUrl, Optional<ClientTls> tls,
      Optional<Path> bearerTokenFile, Duration timeout) {
    HttpUrl url = HttpUrl.parse(baseUrl);
    if (url == null) {
      throw new IllegalArgumentException("'" + baseUrl + "' is not an http:// or https:// URL");
    }
    Optional<String> authorization = Optional.empty();
    if (bearerTokenFile.isPresent()) {
      try {
        String token = Files.readString(bearerTokenFile.get(), StandardCharsets.UTF_8).strip();
        if (token.isEmpty()) {
          throw new IllegalArgumentException("bearer token file " + bearerTokenFile.get() + " is empty");
        }
        authorization = Optional.of("Bearer " + token);
      } catch (IOException e) {
        throw new IllegalArgumentException("cannot read bearer token file " + bearerTokenFile.get()
            + ": " + e.getClass().getSimpleName(), e);
      }
    }
    OkHttpClient.Builder builder = new OkHttpClient.Builder().callTimeout(timeout)
        .followRedirects(false);
    tls.ifPresent(t -> t.applyTo(builder));
    return new PrometheusApiSource(url, builder.build(), authorization);
  }

  @Override
  public String describe() {
    return base.toString();
  }

  @Override
  public List<Value.Sample> instant(String query, Instant time)
      throws SourceUnreachableException, QueryFailedException {
    JsonNode data = get("query", Map.of("query", query, "time", seconds(time)), query);
    JsonNode result = data.path("result");
    List<Value.Sample> out = new ArrayList<>();
    switch (data.path("resultType").asText()) {
      case "vector" -> {
        for (JsonNode s : result) {
          out.add(new Value.Sample(labels(s.path("metric")), millis(s.path("value").get(0)),
              number(s.path("value").get(1))));
        }
      }
      case "scalar" -> out.add(new Value.Sample(Labels.EMPTY, millis(result.get(0)), number(result.get(1))));
      default -> throw new QueryFailedException(base + ": query " + query + " returned a "
          + data.path("resultType").asText() + ", not a vector", null);
    }
    return out;
  }

  @Override
  public List<Value.Series> range(String query, Instant start, Instant end, Duration step)
      throws SourceUnreachableException, QueryFailedException {
    JsonNode data = get("query_range", Map.of("query", query, "start", seconds(start),
        "end", seconds(end), "step", step.toMillis() / 1000.0 + ""), query);
    List<Value.Series> out = new ArrayList<>();
    for (JsonNode s : data.path("result")) {
      JsonNode values = s.path("values");
      long[] ts = new long[values.size()];
      double[] vs = new double[values.size()];
      for (int i = 0; i < values.size(); i++) {
        ts[i] = millis(values.get(i).get(0));
        vs[i] = number(values.get(i).get(1));
      }
      out.add(new Value.Series(labels(s.path("metric")), ts, vs));
    }
    return out;
  }

  @Override
  public List<ActiveAlert> activeAlerts() throws SourceUnreachableException, QueryFailedException {
    JsonNode data = get("alerts", Map.of(), "(alerts)");
    List<ActiveAlert> out = new ArrayList<>();
    for (JsonNode a : data.path("alerts")) {
      Optional<Instant> activeAt = Optional.empty();
      try {
        if (a.hasNonNull("activeAt")) {
          activeAt = Optional.of(Instant.parse(a.get("activeAt").asText()));
        }
      } catch (DateTimeParseException e) {
        // Leave it unknown; the rest of the alert is still worth reporting.
      }
      out.add(new ActiveAlert(map(a.path("labels")), map(a.path("annotations")),
          a.path("state").asText(), activeAt, a.hasNonNull("value") ? number(a.get("value")) : Double.NaN));
    }
    return out;
  }

  @Override
  public void close() {
    client.dispatcher().executorService().shutdown();
    client.connectionPool().evictAll();
  }

  /** GETs {@code /api/v1/<endpoint>} and returns its {@code data}. */
  private JsonNode get(String endpoint, Map<String, String> params, String query)
      throws SourceUnreachableException, QueryFailedException {
    HttpUrl.Builder url = base.newBuilder().addPathSegments("api/v1/" + endpoint);
    new TreeMap<>(params).forEach(url::addQueryParameter);
    HttpUrl full = url.build();
    Request.Builder request = new Request.Builder().url(full);
    authorization.ifPresent(a -> request.header("Authorization", a));
    String where = full.newBuilder().query(null).build().toString();
    try (Response response = client.newCall(request.build()).execute()) {
      int code = response.code();
      if (code == 401 || code == 403) {
        throw new SourceUnreachableException(where + " refused us: HTTP " + code
            + " (check the bearer token file or client certificate)", null);
      }
      String body = response.body().string();
      JsonNode root;
      try {
        root = JSON.readTree(body);
      } catch (IOException e) {
        root = null;
      }
      if (root == null || !root.has("status")) {
        String message = where + " did not answer as a Prometheus API: HTTP " + code;
        if (code == 404) {
          throw new QueryFailedException(message, null); // an API without this endpoint
        }
        throw new SourceUnreachableException(message, null);
      }
      if (!"success".equals(root.path("status").asText())) {
        throw new QueryFailedException(where + ": " + root.path("errorType").asText("error") + ": "
            + root.path("error").asText() + " (query: " + query + ")", null);
      }
      return root.path("data");
    } catch (IOException e) {
      throw new SourceUnreachableException("cannot reach " + base + ": " + reason(e), e);
    }
  }

  private static String reason(IOException e) {
    if (e instanceof ConnectException) {
      return "connection refused";
    }
    if (e instanceof UnknownHostException) {
      return "unknown host";
    }
    if (e instanceof InterruptedIOException) {
      return "timed out";
    }
    if (e instanceof SSLException) {
      return "TLS failed: " + e.getMessage();
    }
    return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
  }

  private static Labels labels(JsonNode metric) {
    return Labels.of(map(metric));
  }

  private static Map<String, String> map(JsonNode object) {
    Map<String, String> m = new TreeMap<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = object.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      m.put(e.getKey(), e.getValue().asText());
    }
    return m;
  }

  private static long millis(JsonNode secondsNode) {
    return Math.round(secondsNode.asDouble() * 1000);
  }

  /** A sample value as the API writes it: "1", "NaN", "+Inf", "-Inf", "1e+00". */
  private static double number(JsonNode v) {
    String s = v.asText();
    return switch (s) {
      case "NaN" -> Double.NaN;
      case "+Inf", "Inf" -> Double.POSITIVE_INFINITY;
      case "-Inf" -> Double.NEGATIVE_INFINITY;
      default -> Double.parseDouble(s);
    };
  }

  /** An API time: Unix seconds with milliseconds. */
  private static String seconds(Instant t) {
    return t.toEpochMilli() / 1000 + "." + String.format("%03d", t.toEpochMilli() % 1000);
  }
}
