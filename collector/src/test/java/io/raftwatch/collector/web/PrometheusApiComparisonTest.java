package io.raftwatch.collector.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.prometheus.client.CollectorRegistry;
import io.raftwatch.collector.fixture.PrometheusServer;
import io.raftwatch.collector.promql.EngineOptions;
import io.raftwatch.collector.promql.GoNumbers;
import io.raftwatch.collector.tsdb.Labels;
import io.raftwatch.collector.tsdb.SampleBatch;
import io.raftwatch.collector.tsdb.SeriesStore;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The collector's Prometheus API against the real thing: the same samples go into Debian's
 * Prometheus 2.42 (backfilled with promtool from an OpenMetrics file) and into a {@link
 * SeriesStore} behind {@link PrometheusApi}; then the same requests go to both and the answers
 * must agree structurally: HTTP status, {@code status}, {@code errorType}, {@code resultType},
 * the same series labels, the same timestamps, the same values (within 1e-9 relative, "NaN" and
 * "+Inf" as strings), the same label names and values. Skips without prometheus and promtool;
 * fails then when CI=true.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PrometheusApiComparisonTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration STEP = Duration.ofSeconds(15);
  private static final int POINTS = 120;
  // Block-aligned past data: Prometheus serves it from backfilled blocks, the store from memory.
  private static final Instant T0 =
      Instant.now().truncatedTo(ChronoUnit.HOURS).minus(Duration.ofHours(3));
  private static final Instant T = T0.plus(Duration.ofMinutes(20));

  private PrometheusServer prometheus;
  private WebServer ours;
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  @BeforeAll
  void start(@TempDir Path dir) throws Exception {
    SeriesStore store = new SeriesStore(100_000, Duration.ofDays(30));
    StringBuilder openMetrics = new StringBuilder();
    for (Family f : families()) {
      openMetrics.append("# TYPE ").append(f.name).append(" gauge\n");
      for (Map.Entry<Labels, double[]> e : f.series.entrySet()) {
        SampleBatch batch = new SampleBatch();
        for (int i = 0; i < POINTS; i++) {
          long t = T0.plus(STEP.multipliedBy(i)).toEpochMilli();
          double v = e.getValue()[i];
          batch.add(e.getKey(), t, v);
          openMetrics.append(exposition(e.getKey())).append(' ').append(GoNumbers.formatF(v))
              .append(' ').append(t / 1000).append('\n');
        }
        store.append(e.getKey().get("cluster").isEmpty() ? "misc" : e.getKey().get("cluster"),
            batch);
      }
    }
    openMetrics.append("# EOF\n");
    prometheus = PrometheusServer.startWithBlocks(dir, openMetrics.toString());
    WebServer.Builder builder =
        WebServer.builder(new InetSocketAddress("127.0.0.1", 0),
            new WebMetrics(new CollectorRegistry()));
    new PrometheusApi(store, EngineOptions.defaults(), Clock.fixed(T, ZoneOffset.UTC), "test")
        .register(builder);
    ours = builder.start();
  }

  @AfterAll
  void stop() throws Exception {
    if (ours != null) {
      ours.close();
    }
    if (prometheus != null) {
      prometheus.close();
    }
  }

  @Test
  void instantQueriesAgree() throws Exception {
    String t = seconds(T);
    for (String q : List.of(
        "etcd_server_has_leader",
        "etcd_server_has_leader{cluster=\"a\"} == 0",
        "rate(etcd_server_leader_changes_seen_total[5m])",
        "histogram_quantile(0.99, sum by (le, cluster, instance) "
            + "(rate(etcd_disk_wal_fsync_duration_seconds_bucket[5m])))",
        "sum by (cluster) (etcd_server_has_leader)",
        "count(etcd_server_has_leader)",
        "scalar(sum(etcd_server_has_leader))",
        "1/0", "-1/0", "0/0", "42", "\"a string\"",
        "odd_values",
        "odd_values[1m]",
        "etcd_server_has_leader[2m]",
        "absent(nothing_here)",
        "nothing_here",
        "sort_desc(etcd_disk_wal_fsync_duration_seconds_count)")) {
      compare("/api/v1/query", Map.of("query", q, "time", t));
    }
    // A time with a fraction of a second, given as RFC 3339 and as unix seconds.
    compare("/api/v1/query", Map.of("query", "odd_values", "time",
        T.plusMillis(500).toString()));
    compare("/api/v1/query", Map.of("query", "etcd_server_has_leader", "time",
        seconds(T) + ".25"));
  }

  @Test
  void rangeQueriesAgree() throws Exception {
    String start = seconds(T0.plus(Duration.ofMinutes(5)));
    String end = seconds(T0.plus(Duration.ofMinutes(25)));
    for (String q : List.of(
        "etcd_server_has_leader",
        "rate(etcd_server_leader_changes_seen_total[1m])",
        "histogram_quantile(0.99, sum by (le, instance) "
            + "(rate(etcd_disk_wal_fsync_duration_seconds_bucket[2m])))",
        "odd_values",
        "time()",
        "changes(etcd_server_has_leader[3m]) > 0")) {
      for (String step : List.of("30", "1m", "17.5")) {
        compare("/api/v1/query_range", Map.of("query", q, "start", start, "end", end,
            "step", step));
      }
    }
  }

  @Test
  void seriesLabelsAndValuesAgree() throws Exception {
    String start = seconds(T0);
    String end = seconds(T0.plus(Duration.ofMinutes(40)));
    compare("/api/v1/series", Map.of("match[]", "etcd_server_has_leader"));
    compare("/api/v1/series", Map.of("match[]", "{cluster=\"b\",instance=~\"m[12]\"}",
        "start", start, "end", end));
    compare("/api/v1/series", Map.of("match[]", "odd_values{kind!=\"nan\"}"));
    compare("/api/v1/labels", Map.of());
    compare("/api/v1/labels", Map.of("match[]", "odd_values"));
    compare("/api/v1/labels", Map.of("start", start, "end", end));
    compare("/api/v1/label/__name__/values", Map.of());
    compare("/api/v1/label/instance/values", Map.of("match[]", "{cluster=\"a\"}"));
    compare("/api/v1/label/kind/values", Map.of());
    compare("/api/v1/label/no_such_label/values", Map.of());
  }

  @Test
  void postedFormsAgreeWithGets() throws Exception {
    Map<String, String> form = new LinkedHashMap<>();
    form.put("query", "sum by (cluster) (etcd_server_has_leader)");
    form.put("time", seconds(T));
    JsonNode posted = post(ours.baseUri(), "/api/v1/query", form);
    assertSame("POST /api/v1/query", post(prometheus.url(), "/api/v1/query", form), posted);
    assertThat(posted.get("body")).isEqualTo(get(ours.baseUri(), "/api/v1/query", form).get("body"));
    assertSame("POST /api/v1/series", post(prometheus.url(), "/api/v1/series",
        Map.of("match[]", "etcd_server_has_leader")),
        post(ours.baseUri(), "/api/v1/series", Map.of("match[]", "etcd_server_has_leader")));
  }

  @Test
  void badInputGetsTheSameErrorType() throws Exception {
    String t = seconds(T);
    List<String> sameMessage = new ArrayList<>();
    sameMessage.add(compare("/api/v1/query", Map.of("query", "up{", "time", t)));
    sameMessage.add(compare("/api/v1/query", Map.of("query", "sum(", "time", t)));
    sameMessage.add(compare("/api/v1/query", Map.of("query", "up", "time", "yesterday")));
    sameMessage.add(compare("/api/v1/query", Map.of("query", "up", "time", t, "timeout", "soon")));
    compare("/api/v1/query", Map.of("query", "", "time", t));
    // Many-to-many matching fails in evaluation: "execution", 422.
    compare("/api/v1/query", Map.of("query",
        "etcd_server_has_leader + on(cluster) etcd_server_has_leader", "time", t));
    String start = seconds(T0);
    String end = seconds(T);
    sameMessage.add(compare("/api/v1/query_range",
        Map.of("query", "up", "start", end, "end", start, "step", "15")));
    sameMessage.add(compare("/api/v1/query_range",
        Map.of("query", "up", "start", start, "end", end, "step", "0")));
    sameMessage.add(compare("/api/v1/query_range",
        Map.of("query", "up", "start", start, "end", end, "step", "often")));
    sameMessage.add(compare("/api/v1/query_range",
        Map.of("query", "up", "start", start, "end", end, "step", "0.01")));
    sameMessage.add(compare("/api/v1/query_range",
        Map.of("query", "up", "start", "never", "end", end, "step", "15")));
    compare("/api/v1/query_range",
        Map.of("query", "etcd_server_has_leader[5m]", "start", start, "end", end, "step", "15"));
    sameMessage.add(compare("/api/v1/series", Map.of()));
    sameMessage.add(compare("/api/v1/series",
        Map.of("match[]", "etcd_server_has_leader", "start", "soon")));
    sameMessage.add(compare("/api/v1/labels", Map.of("end", "later")));
    sameMessage.add(compare("/api/v1/label/1bad/values", Map.of()));
    compare("/api/v1/series", Map.of("match[]", "{job=~\".*\"}"));
    compare("/api/v1/series", Map.of("match[]", "up{"));
    assertThat(sameMessage).as("messages that differ from Prometheus's").containsOnly("");
  }

  /**
   * Sends the request to both servers and asserts the answers agree; returns "" when the error
   * messages (if any) are the same too, else a description of the difference.
   */
  private String compare(String path, Map<String, String> params) throws Exception {
    JsonNode theirs = get(prometheus.url(), path, params);
    JsonNode mine = get(ours.baseUri(), path, params);
    String what = path + " " + params;
    assertSame(what, theirs, mine);
    String theirMessage = theirs.path("body").path("error").asText();
    String myMessage = mine.path("body").path("error").asText();
    return theirMessage.equals(myMessage) ? ""
        : what + ": prometheus said " + theirMessage + ", we said " + myMessage;
  }

  private static void assertSame(String what, JsonNode theirs, JsonNode mine) {
    String context = what + "\nprometheus: " + theirs + "\nraftwatch:  " + mine;
    assertThat(mine.get("code").asInt()).as(context).isEqualTo(theirs.get("code").asInt());
    JsonNode a = theirs.get("body");
    JsonNode b = mine.get("body");
    assertThat(fieldNames(b)).as(context).isEqualTo(fieldNames(a));
    assertThat(b.path("status").asText()).as(context).isEqualTo(a.path("status").asText());
    if (a.path("status").asText().equals("error")) {
      assertThat(b.path("errorType").asText()).as(context).isEqualTo(a.path("errorType").asText());
      return;
    }
    JsonNode da = a.get("data");
    JsonNode db = b.get("data");
    if (da.has("resultType")) {
      assertThat(db.path("resultType").asText()).as(context)
          .isEqualTo(da.path("resultType").asText());
      assertSameResult(context, da.path("resultType").asText(), da.get("result"),
          db.get("result"));
    } else {
      assertThat(db).as(context).isEqualTo(da);
    }
  }

  private static void assertSameResult(String context, String type, JsonNode a, JsonNode b) {
    switch (type) {
      case "scalar", "string" -> assertSamePoint(context, a, b);
      case "vector", "matrix" -> {
        Map<String, JsonNode> ma = byMetric(a);
        Map<String, JsonNode> mb = byMetric(b);
        assertThat(mb.keySet()).as(context).isEqualTo(ma.keySet());
        for (String metric : ma.keySet()) {
          JsonNode ea = ma.get(metric);
          JsonNode eb = mb.get(metric);
          assertThat(fieldNames(eb)).as(context).isEqualTo(fieldNames(ea));
          if (type.equals("vector")) {
            assertSamePoint(context, ea.get("value"), eb.get("value"));
          } else {
            assertThat(eb.get("values").size()).as(context + "\n" + metric)
                .isEqualTo(ea.get("values").size());
            for (int i = 0; i < ea.get("values").size(); i++) {
              assertSamePoint(context, ea.get("values").get(i), eb.get("values").get(i));
            }
          }
        }
      }
      default -> throw new AssertionError("unknown resultType " + type + ": " + context);
    }
  }

  private static void assertSamePoint(String context, JsonNode a, JsonNode b) {
    assertThat(b.get(0).isNumber()).as(context).isTrue();
    assertThat(b.get(0).decimalValue()).as(context).isEqualByComparingTo(a.get(0).decimalValue());
    assertThat(b.get(1).isTextual()).as(context).isTrue();
    String va = a.get(1).asText();
    String vb = b.get(1).asText();
    if (va.equals(vb)) {
      return;
    }
    double x = Double.parseDouble(va);
    double y = Double.parseDouble(vb);
    assertThat(Math.abs(x - y)).as(context + "\n" + va + " vs " + vb)
        .isLessThanOrEqualTo(1e-9 * Math.max(Math.abs(x), Math.abs(y)));
  }

  private static Map<String, JsonNode> byMetric(JsonNode result) {
    Map<String, JsonNode> out = new TreeMap<>();
    for (JsonNode e : result) {
      out.put(new TreeMap<>(JSON.convertValue(e.get("metric"), Map.class)).toString(), e);
    }
    assertThat(out).as("distinct metrics in " + result).hasSize(result.size());
    return out;
  }

  private static List<String> fieldNames(JsonNode n) {
    List<String> names = new ArrayList<>();
    n.fieldNames().forEachRemaining(names::add);
    names.sort(null);
    return names;
  }

  private JsonNode get(URI base, String path, Map<String, String> params) throws Exception {
    String query = params.entrySet().stream()
        .map(e -> enc(e.getKey()) + "=" + enc(e.getValue())).collect(Collectors.joining("&"));
    return answer(http.send(HttpRequest.newBuilder(base.resolve(path + "?" + query))
        .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString()));
  }

  private JsonNode post(URI base, String path, Map<String, String> form) throws Exception {
    String body = form.entrySet().stream()
        .map(e -> enc(e.getKey()) + "=" + enc(e.getValue())).collect(Collectors.joining("&"));
    return answer(http.send(HttpRequest.newBuilder(base.resolve(path))
        .header("Content-Type", "application/x-www-form-urlencoded")
        .POST(HttpRequest.BodyPublishers.ofString(body)).timeout(Duration.ofSeconds(10)).build(),
        HttpResponse.BodyHandlers.ofString()));
  }

  private static JsonNode answer(HttpResponse<String> r) throws Exception {
    return JSON.createObjectNode().put("code", r.statusCode()).set("body", JSON.readTree(r.body()));
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  private static String seconds(Instant t) {
    return Long.toString(t.getEpochSecond());
  }

  private static String exposition(Labels l) {
    StringBuilder sb = new StringBuilder(l.name()).append('{');
    for (int i = 0; i < l.size(); i++) {
      if (!l.nameAt(i).equals(Labels.METRIC_NAME)) {
        if (sb.charAt(sb.length() - 1) != '{') {
          sb.append(',');
        }
        sb.append(l.nameAt(i)).append("=\"").append(l.valueAt(i)).append('"');
      }
    }
    return sb.append('}').toString();
  }

  private record Family(String name, Map<Labels, double[]> series) {}

  /** Seeded series shaped like etcd's: a leader gauge, a counter with a reset, a histogram. */
  private static List<Family> families() {
    Random random = new Random(7);
    Family leader = new Family("etcd_server_has_leader", new TreeMap<>());
    Family changes = new Family("etcd_server_leader_changes_seen_total", new TreeMap<>());
    Family buckets = new Family("etcd_disk_wal_fsync_duration_seconds_bucket", new TreeMap<>());
    Family count = new Family("etcd_disk_wal_fsync_duration_seconds_count", new TreeMap<>());
    Family odd = new Family("odd_values", new TreeMap<>());
    double[] les = {0.001, 0.002, 0.004, 0.008, 0.016, Double.POSITIVE_INFINITY};
    for (String cluster : List.of("a", "b")) {
      for (String instance : List.of("m1", "m2", "m3")) {
        String[] target = {"cluster", cluster, "instance", instance, "job", "etcd"};
        double[] has = new double[POINTS];
        double[] seen = new double[POINTS];
        double[][] cumulative = new double[les.length][POINTS];
        double c = 0;
        double[] b = new double[les.length];
        for (int i = 0; i < POINTS; i++) {
          has[i] = random.nextInt(10) == 0 ? 0 : 1;
          c = instance.equals("m2") && i == 60 ? 0 : c + (random.nextInt(8) == 0 ? 1 : 0);
          seen[i] = c;
          int n = 50 + random.nextInt(50);
          for (int k = 0; k < n; k++) {
            double latency = 0.0005 * Math.exp(random.nextGaussian() * 1.2 + 1);
            for (int j = 0; j < les.length; j++) {
              if (latency <= les[j]) {
                b[j]++;
              }
            }
          }
          for (int j = 0; j < les.length; j++) {
            cumulative[j][i] = b[j];
          }
        }
        leader.series.put(labels(leader.name, target), has);
        changes.series.put(labels(changes.name, target), seen);
        count.series.put(labels(count.name, target), cumulative[les.length - 1]);
        for (int j = 0; j < les.length; j++) {
          String le = GoNumbers.formatF(les[j]);
          buckets.series.put(labels(buckets.name, target).toBuilder().set("le", le).build(),
              cumulative[j]);
        }
      }
    }
    Map<String, Double> odds = Map.of("nan", Double.NaN, "inf", Double.POSITIVE_INFINITY,
        "neginf", Double.NEGATIVE_INFINITY, "tiny", 1.25e-7, "huge", 1.5e21, "negzero", -0.0);
    for (Map.Entry<String, Double> e : odds.entrySet()) {
      double[] v = new double[POINTS];
      java.util.Arrays.fill(v, e.getValue());
      odd.series.put(Labels.of("__name__", odd.name, "kind", e.getKey()), v);
    }
    return List.of(leader, changes, buckets, count, odd);
  }

  private static Labels labels(String name, String[] target) {
    Labels.Builder b = Labels.builder().set("__name__", name);
    for (int i = 0; i < target.length; i += 2) {
      b.set(target[i], target[i + 1]);
    }
    return b.build();
  }
}
