package io.raftwatch.collector.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.raftwatch.collector.config.ConfigLoader;
import io.raftwatch.collector.config.RaftwatchConfig;
import io.raftwatch.collector.fixture.TestCertificates;
import io.raftwatch.collector.jobs.Collector;
import io.raftwatch.collector.jobs.CollectorOptions;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The page's JSON API and report links over a real {@link Collector} (H2 history, the shipped
 * rules) watching a member that refuses connections, evaluated twice by the test: what the page
 * shows, the history filters, the refusals with their messages, and that no key material leaves.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PageApiTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  private TestCertificates certs;
  private Collector collector;
  private CollectorWeb web;

  @BeforeAll
  void start(@TempDir Path dir) throws Exception {
    certs = TestCertificates.create(Files.createDirectories(dir.resolve("pki")));
    int closedPort;
    try (ServerSocket s = new ServerSocket(0)) {
      closedPort = s.getLocalPort();
    }
    RaftwatchConfig config = new ConfigLoader().parse("raftwatch.yaml", """
        clusters:
          - name: down
            scrapeInterval: 1s
            tls: {caFile: %s, certFile: %s, keyFile: %s}
            members:
              - {name: m1, url: "https://127.0.0.1:%d"}
        """.formatted(certs.caFile(), certs.clientFiles().cert(), certs.clientFiles().key(),
        closedPort), dir);
    collector = Collector.create(config, CollectorOptions.defaults(dir.resolve("data")));
    web = CollectorWeb.start(collector, new InetSocketAddress("127.0.0.1", 0), Duration.ofHours(1));
    Instant t = Instant.now();
    collector.clusters().get(0).runOnce(t.minusSeconds(1));
    collector.clusters().get(0).runOnce(t);
  }

  @AfterAll
  void stop() {
    if (web != null) {
      web.close();
    }
    if (collector != null) {
      collector.close();
    }
  }

  @Test
  void clustersShowMembersAlertsAndTlsPathsButNoKeyMaterial() throws Exception {
    HttpResponse<String> r = get("/api/clusters");
    JsonNode cluster = JSON.readTree(r.body()).at("/data/clusters/0");
    assertThat(cluster.get("name").asText()).isEqualTo("down");
    assertThat(cluster.get("verdict").asText()).isEqualTo("warning");
    assertThat(cluster.get("leader").isNull()).isTrue();
    JsonNode member = cluster.at("/members/0");
    assertThat(member.get("name").asText()).isEqualTo("m1");
    assertThat(member.get("up").asBoolean()).isFalse();
    assertThat(member.get("leader").isNull()).isTrue();
    assertThat(member.get("lastError").asText()).contains("connection refused");
    assertThat(cluster.get("alerts").findValuesAsText("alertname")).contains("etcdMembersDown");
    assertThat(cluster.at("/alerts/0/state").asText()).isEqualTo("pending");
    assertThat(cluster.at("/tls/keyFile").asText()).isEqualTo(certs.clientFiles().key().toString());
    assertThat(cluster.at("/reports/2/href").asText()).isEqualTo("/reports/down.json");
    String key = Files.readString(certs.clientFiles().key());
    for (String line : key.lines().filter(l -> !l.startsWith("-----")).toList()) {
      assertThat(r.body()).doesNotContain(line);
    }
    assertThat(r.body()).doesNotContain("PRIVATE KEY");
  }

  @Test
  void historyFiltersByClusterAlertAndState() throws Exception {
    JsonNode all = data("/api/history");
    assertThat(all.get("events").findValuesAsText("kind")).isNotEmpty().containsOnly("pending");
    assertThat(data("/api/history?state=pending&alertname=etcdMembersDown&cluster=down")
        .get("events")).hasSize(1);
    assertThat(data("/api/history?state=firing").get("events")).isEmpty();
    assertThat(data("/api/history?cluster=other").get("events")).isEmpty();
    assertThat(data("/api/history?since=1ms").get("events")).isEmpty();
    assertThat(data("/api/history?limit=1").get("events")).hasSize(1);
  }

  @Test
  void badParametersAreRefusedWithTheirNames() throws Exception {
    assertRefused("/api/history?state=burning",
        "invalid parameter \"state\": \"burning\" is not one of pending, firing, resolved");
    assertRefused("/api/history?since=yesterday",
        "invalid parameter \"since\": cannot parse \"yesterday\" to a valid duration");
    assertRefused("/api/history?limit=0",
        "invalid parameter \"limit\": must be a number from 1 to 10000, got \"0\"");
    assertRefused("/api/charts?cluster=prod&member=m1",
        "invalid parameter \"cluster\": no cluster \"prod\"");
    assertRefused("/api/charts?cluster=down&member=m9",
        "invalid parameter \"member\": cluster \"down\" has no member \"m9\"");
    assertRefused("/api/charts?cluster=down&member=m1&range=7h",
        "invalid parameter \"range\": must be positive and at most 6h (the retention), got \"7h\"");
    assertRefused("/reports/down.json?window=-1", "invalid parameter \"window\": must be positive,"
        + " got \"-1\"");
  }

  @Test
  void chartsAndReportsAreServed() throws Exception {
    JsonNode charts = data("/api/charts?cluster=down&member=m1&range=5m");
    assertThat(charts.get("charts").findValuesAsText("id"))
        .containsExactly("fsync_p99", "leader_changes", "proposals_pending", "db_size", "fd_use");
    HttpResponse<String> report = get("/reports/down.json");
    assertThat(report.statusCode()).isEqualTo(200);
    assertThat(JSON.readTree(report.body()).get("cluster").asText()).isEqualTo("down");
    HttpResponse<String> md = get("/reports/down.md?download=1");
    assertThat(md.headers().firstValue("Content-Type")).hasValue("text/markdown; charset=utf-8");
    assertThat(md.headers().firstValue("Content-Disposition"))
        .hasValue("attachment; filename=\"down.md\"");
    assertThat(get("/reports/nowhere.html").statusCode()).isEqualTo(404);
    assertThat(get("/reports/daily/..%2F..%2Fetc%2Fpasswd").statusCode()).isEqualTo(404);
    assertThat(get("/reports/daily/down-2026-01-01.html").statusCode()).isEqualTo(404);
    assertThat(data("/api/reports").at("/clusters/0/live").findValuesAsText("href"))
        .containsExactly("/reports/down.html", "/reports/down.md", "/reports/down.json");
  }

  private void assertRefused(String path, String message) throws Exception {
    HttpResponse<String> r = get(path);
    assertThat(r.statusCode()).as(path).isEqualTo(400);
    JsonNode body = JSON.readTree(r.body());
    assertThat(body.get("errorType").asText()).isEqualTo("bad_data");
    assertThat(body.get("error").asText()).isEqualTo(message);
  }

  private JsonNode data(String path) throws Exception {
    HttpResponse<String> r = get(path);
    assertThat(r.statusCode()).as(path + ": " + r.body()).isEqualTo(200);
    return JSON.readTree(r.body()).get("data");
  }

  private HttpResponse<String> get(String path) throws Exception {
    return http.send(HttpRequest.newBuilder(web.baseUri().resolve(path))
        .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
  }
}
