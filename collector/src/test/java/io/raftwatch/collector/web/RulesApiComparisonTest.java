package io.raftwatch.collector.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.raftwatch.collector.config.ConfigLoader;
import io.raftwatch.collector.config.RaftwatchConfig;
import io.raftwatch.collector.fixture.PrometheusServer;
import io.raftwatch.collector.jobs.Collector;
import io.raftwatch.collector.jobs.CollectorOptions;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code /api/v1/rules} and {@code /api/v1/alerts} against Debian's Prometheus 2.42 loading the
 * same rule files (the shipped etcd rules, and one exercising PromQL's syntax: offsets, {@code @},
 * subqueries, group_left, bool, without, parameters, strings): every rule has the same fields,
 * type, {@code for}, labels, annotation templates and — printed from the parsed expression — the
 * same {@code query} text; an always-firing alert has the same fields, labels, annotations, state
 * and value. Skips without prometheus; fails then when CI=true.
 */
class RulesApiComparisonTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  @TempDir Path dir;

  @Test
  void rulesAndAlertsLookAsPrometheusShowsThem() throws Exception {
    PrometheusServer.requirePrometheus();
    Path syntax = dir.resolve("syntax.rules.yaml");
    Files.writeString(syntax, """
        groups:
          - name: syntax
            interval: 1s
            rules:
              - alert: AlwaysFiring
                expr: vector(1)
                labels: {severity: none, team: "db"}
                annotations: {summary: "always {{ $value }}", description: "on {{ $labels.cluster }}"}
              - record: job:up:offset
                expr: sum without (instance) (up offset 5m) / on (job) group_left (cluster) count by (job, cluster) (up @ 1700000000)
              - record: job:subquery
                expr: max_over_time(rate(http_requests_total{code=~"5..", job!="x"}[1m])[10m:30s] offset -1m)
              - record: job:bool
                expr: -up > bool 0.5 or topk(3, up) unless ignoring (member) absent(nothing{a="b\\\\c\\"d"})
              - record: job:strings
                expr: label_replace(up, "dst", "$1", "instance", "(.*):.*") + 1e-7 * 2 ^ 3 ^ 2
              - record: job:quantile
                expr: quantile without (le) (0.9, histogram_quantile(0.99, sum by (le) (rate(x_bucket[5m:]))))
        """);
    Path etcdRules = repoRoot().resolve("alert-rules/etcd.rules.yaml");
    JsonNode theirs = prometheusAnswers(List.of(etcdRules, syntax));

    int closedPort;
    try (ServerSocket s = new ServerSocket(0)) {
      closedPort = s.getLocalPort();
    }
    RaftwatchConfig config = new ConfigLoader().parse("raftwatch.yaml", """
        clusters:
          - name: down
            scrapeInterval: 1s
            ruleFiles: [%s, %s]
            members:
              - url: http://127.0.0.1:%d
        """.formatted(etcdRules, syntax, closedPort), dir);
    JsonNode ours;
    try (Collector c = Collector.create(config, CollectorOptions.defaults(dir.resolve("data")));
        CollectorWeb web = CollectorWeb.start(c, new InetSocketAddress("127.0.0.1", 0),
            Duration.ofSeconds(1))) {
      c.clusters().get(0).runOnce(Instant.now());
      ObjectNode answers = JSON.createObjectNode();
      answers.set("rules", get(web.baseUri(), "/api/v1/rules"));
      answers.set("alerts", get(web.baseUri(), "/api/v1/alerts"));
      ours = answers;
    }

    Map<String, JsonNode> theirRules = rulesByName(theirs.get("rules"));
    Map<String, JsonNode> ourRules = rulesByName(ours.get("rules"));
    assertThat(ourRules.keySet()).containsExactlyInAnyOrderElementsOf(theirRules.keySet());
    assertThat(ourRules).hasSizeGreaterThanOrEqualTo(20);
    for (String name : theirRules.keySet()) {
      JsonNode a = theirRules.get(name);
      JsonNode b = ourRules.get(name);
      String context = name + "\nprometheus: " + a + "\nraftwatch:  " + b;
      assertThat(fieldNames(b)).as(context).isEqualTo(fieldNames(a));
      for (String field : List.of("type", "query", "labels", "annotations")) {
        assertThat(b.path(field)).as(context + "\nfield " + field).isEqualTo(a.path(field));
      }
      if (a.has("duration")) {
        assertThat(b.get("duration").asDouble()).as(context).isEqualTo(a.get("duration").asDouble());
      }
    }
    JsonNode group = ours.at("/rules/data/groups/0");
    assertThat(fieldNames(group)).isEqualTo(fieldNames(theirs.at("/rules/data/groups/0")));

    JsonNode theirAlert = alert(theirs.get("alerts"), "AlwaysFiring");
    JsonNode ourAlert = alert(ours.get("alerts"), "AlwaysFiring");
    assertThat(fieldNames(ourAlert)).isEqualTo(fieldNames(theirAlert));
    for (String field : List.of("state", "value", "annotations")) {
      assertThat(ourAlert.get(field)).as(field).isEqualTo(theirAlert.get(field));
    }
    // Ours carries the collector's cluster label; otherwise the same labels.
    JsonNode ourLabels = ((ObjectNode) ourAlert.get("labels").deepCopy()).without("cluster");
    assertThat(ourLabels).isEqualTo(theirAlert.get("labels"));
    assertThat(Instant.parse(ourAlert.get("activeAt").asText())).isBefore(Instant.now());
  }

  /** Prometheus's rules and (once AlwaysFiring fires) alerts answers. */
  private JsonNode prometheusAnswers(List<Path> ruleFiles) throws Exception {
    Path config = dir.resolve("prometheus.yml");
    StringBuilder yaml = new StringBuilder("global:\n  evaluation_interval: 1s\nrule_files:\n");
    for (Path f : ruleFiles) {
      yaml.append("  - ").append(f).append('\n');
    }
    Files.writeString(config, yaml.toString());
    try (PrometheusServer prometheus = PrometheusServer.start(dir, config)) {
      // Prometheus evaluates every second; AlwaysFiring fires at its first evaluation.
      JsonNode alerts = Awaitility.await("AlwaysFiring firing in Prometheus")
          .atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
          .until(() -> get(prometheus.url(), "/api/v1/alerts"), answer -> {
            JsonNode a = alert(answer, "AlwaysFiring");
            return a != null && a.get("state").asText().equals("firing");
          });
      Map<String, JsonNode> out = new LinkedHashMap<>();
      out.put("rules", get(prometheus.url(), "/api/v1/rules"));
      out.put("alerts", alerts);
      return JSON.valueToTree(out);
    }
  }

  private static JsonNode alert(JsonNode answer, String name) {
    for (JsonNode a : answer.at("/data/alerts")) {
      if (a.at("/labels/alertname").asText().equals(name)) {
        return a;
      }
    }
    return null;
  }

  private static Map<String, JsonNode> rulesByName(JsonNode answer) {
    Map<String, JsonNode> out = new LinkedHashMap<>();
    for (JsonNode g : answer.at("/data/groups")) {
      for (JsonNode r : g.get("rules")) {
        out.put(r.get("name").asText(), r);
      }
    }
    return out;
  }

  private static List<String> fieldNames(JsonNode n) {
    List<String> names = new ArrayList<>();
    n.fieldNames().forEachRemaining(names::add);
    names.sort(null);
    return names;
  }

  private JsonNode get(URI base, String path) throws Exception {
    HttpResponse<String> r = http.send(HttpRequest.newBuilder(base.resolve(path))
        .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as(path + ": " + r.body()).isEqualTo(200);
    return JSON.readTree(r.body());
  }

  private static Path repoRoot() {
    String root = System.getProperty("raftwatch.root");
    return root != null ? Path.of(root) : Path.of("..");
  }
}
