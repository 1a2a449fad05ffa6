package io.raftwatch.collector.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.raftwatch.collector.config.ConfigLoader;
import io.raftwatch.collector.config.RaftwatchConfig;
import io.raftwatch.collector.fixture.EtcdCluster;
import io.raftwatch.collector.fixture.TestCertificates;
import io.raftwatch.collector.jobs.Collector;
import io.raftwatch.collector.jobs.CollectorOptions;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Grafana's view of the collector as a Prometheus data source: every panel query of the shipped
 * dashboard ({@code dashboards/etcd.json}, variables set as Grafana would) returns data through
 * the collector's {@code /api/v1/query} while it watches a real 3-member etcd 3.4 cluster, and the
 * dashboard's {@code label_values()} variables find the cluster and its instances through {@code
 * /api/v1/label/<name>/values}, as Grafana asks. Skips without etcd; fails then when CI=true.
 */
class DashboardQueriesTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration DEADLINE = Duration.ofSeconds(90);
  private static final String CLUSTER = "grafana";

  @TempDir Path dir;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  @Test
  void everyDashboardQueryReturnsDataFromTheCollector() throws Exception {
    EtcdCluster.requireEtcd();
    try (EtcdCluster etcd = EtcdCluster.start(dir.resolve("etcd"), 3);
        Collector collector = Collector.create(config(etcd),
            CollectorOptions.defaults(dir.resolve("data")));
        CollectorWeb web = CollectorWeb.start(collector,
            new InetSocketAddress("127.0.0.1", 0), Duration.ofSeconds(1))) {
      collector.start();
      URI base = web.baseUri();
      List<String> queries = dashboardQueries();
      assertThat(queries).hasSizeGreaterThan(25);
      Instant deadline = Instant.now().plus(DEADLINE);
      List<String> empty = queries;
      while (!empty.isEmpty() && Instant.now().isBefore(deadline)) {
        List<String> still = new ArrayList<>();
        for (String q : empty) {
          if (get(base, "/api/v1/query?query=" + enc(q)).at("/data/result").isEmpty()) {
            still.add(q);
          }
        }
        empty = still;
        if (!empty.isEmpty()) {
          Thread.sleep(500); // The next health check, a second apart.
        }
      }
      assertThat(empty).as("dashboard queries without data after " + DEADLINE.toSeconds() + "s")
          .isEmpty();
      assertThat(values(base, "cluster", "etcd_server_has_leader")).containsExactly(CLUSTER);
      assertThat(values(base, "instance", "etcd_server_has_leader{cluster=\"" + CLUSTER + "\"}"))
          .hasSize(3);
    }
  }

  private List<String> values(URI base, String label, String match) throws Exception {
    JsonNode r = get(base, "/api/v1/label/" + label + "/values?match[]=" + enc(match));
    List<String> out = new ArrayList<>();
    r.get("data").forEach(v -> out.add(v.asText()));
    return out;
  }

  private RaftwatchConfig config(EtcdCluster etcd) throws Exception {
    // An always-firing alert (like kube-prometheus's Watchdog), so the dashboard's ALERTS panel
    // has a row; then the shipped rules.
    Path watchdog = dir.resolve("watchdog.rules.yaml");
    Files.writeString(watchdog, """
        groups:
          - name: watchdog
            rules:
              - alert: Watchdog
                expr: vector(1)
                labels: {cluster: %s}
        """.formatted(CLUSTER));
    String root = System.getProperty("raftwatch.root", "..");
    TestCertificates certs = etcd.certificates();
    String members = etcd.membersYaml(6);
    return new ConfigLoader().parse("raftwatch.yaml", """
        clusters:
          - name: %s
            job: etcd
            scrapeInterval: 1s
            scrapeTimeout: 1s
            tls: {caFile: %s, certFile: %s, keyFile: %s}
            ruleFiles: [%s, %s]
            members:
        %s""".formatted(CLUSTER, certs.caFile(), certs.clientFiles().cert(),
        certs.clientFiles().key(), watchdog, Path.of(root, "alert-rules/etcd.rules.yaml"),
        members), dir);
  }

  /** Every panel target of the dashboard, with the variables set as Grafana would. */
  private static List<String> dashboardQueries() throws Exception {
    String root = System.getProperty("raftwatch.root", "..");
    JsonNode dashboard = JSON.readTree(Files.readString(Path.of(root, "dashboards/etcd.json")));
    List<String> queries = new ArrayList<>();
    for (JsonNode panel : dashboard.get("panels")) {
      for (JsonNode t : panel.path("targets")) {
        queries.add(t.get("expr").asText().replace("$cluster", CLUSTER)
            .replace("$instance", ".*").replace("$__rate_interval", "10s"));
      }
    }
    return queries;
  }

  private JsonNode get(URI base, String pathAndQuery) throws Exception {
    HttpResponse<String> r = http.send(HttpRequest.newBuilder(base.resolve(pathAndQuery))
        .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    JsonNode body = JSON.readTree(r.body());
    assertThat(body.path("status").asText()).as(pathAndQuery + " -> " + r.body())
        .isEqualTo("success");
    return body;
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }
}
