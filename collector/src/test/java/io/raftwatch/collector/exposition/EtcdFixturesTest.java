package io.raftwatch.collector.exposition;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import io.raftwatch.collector.tsdb.Labels;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
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
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Parses every real etcd 3.4.23 scrape in ../shared/fixtures and compares the result with what a
 * real Prometheus (Debian's {@code prometheus}, the same parser code as promtool) reads from the
 * same bytes: it scrapes them from a loopback server, then its API reports every series with its
 * value, every family's type and HELP, and the number of samples per scrape. {@code promtool check
 * metrics} must also accept each fixture (exit 0, or 3 for lint findings only). An OpenMetrics
 * body, served with its Content-Type, goes through the same comparison.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class EtcdFixturesTest {
  private static final List<String> SYNTHETIC =
      List.of(
          "up",
          "scrape_duration_seconds",
          "scrape_samples_scraped",
          "scrape_samples_post_metric_relabeling",
          "scrape_series_added");

  private final ObjectMapper json = new ObjectMapper();
  private final HttpClient http = HttpClient.newHttpClient();

  /** An OpenMetrics body with what the etcd scrapes lack: units, _created, info, exemplars. */
  private static final String OPENMETRICS_JOB = "openmetrics";

  private static final String OPENMETRICS_BODY =
      """
      # TYPE raft_rpc_seconds histogram
      # UNIT raft_rpc_seconds seconds
      # HELP raft_rpc_seconds RPC latency, "quoted" \\\\ and\\nsplit.
      raft_rpc_seconds_bucket{le="0.01",peer="a\\\\b\\"c\\nd"} 1 # {trace_id="abc"} 0.005 1.5e9
      raft_rpc_seconds_bucket{le="+Inf",peer="a\\\\b\\"c\\nd"} 3
      raft_rpc_seconds_sum{peer="a\\\\b\\"c\\nd"} 0.75
      raft_rpc_seconds_count{peer="a\\\\b\\"c\\nd"} 3
      raft_rpc_seconds_created{peer="a\\\\b\\"c\\nd"} 1.7e9
      # TYPE proposals counter
      # HELP proposals Proposals committed.
      proposals_total 1027 # {} 1
      proposals_created 1700000000.25
      # TYPE apply summary
      apply{quantile="0.5"} NaN
      apply{quantile="0.99"} +Inf
      apply_sum -0.0
      apply_count 0
      # TYPE build info
      build_info{version="3.4.23"} 1
      # TYPE temperature_celsius gauge
      # UNIT temperature_celsius celsius
      temperature_celsius -12.25
      # TYPE mystery unknown
      mystery 5e-324
      # EOF
      """;

  private final Map<String, byte[]> fixtures = new TreeMap<>();
  private HttpServer server;
  private Process prometheus;
  private int prometheusPort;

  @BeforeAll
  void loadFixtures() throws IOException {
    Path dir = sharedDir().resolve("fixtures").resolve("etcd-3.4.23");
    try (Stream<Path> files = Files.list(dir)) {
      for (Path f : files.filter(p -> p.toString().endsWith(".prom")).sorted().toList()) {
        fixtures.put(f.getFileName().toString().replace(".prom", ""), Files.readAllBytes(f));
      }
    }
    assertThat(fixtures).hasSize(4);
  }

  private static ExpositionFormat formatOf(String job) {
    return job.equals(OPENMETRICS_JOB)
        ? ExpositionFormat.OPENMETRICS_TEXT
        : ExpositionFormat.PROMETHEUS_TEXT;
  }

  @AfterAll
  void stopProcesses() throws InterruptedException {
    stopPrometheus();
    if (server != null) {
      server.stop(0);
    }
  }

  private void stopPrometheus() throws InterruptedException {
    if (prometheus != null) {
      prometheus.destroy();
      if (!prometheus.waitFor(20, TimeUnit.SECONDS)) {
        prometheus.destroyForcibly().waitFor();
      }
      prometheus = null;
    }
  }

  @Test
  void promtoolAcceptsEveryFixtureAndSoDoesOurParser() throws Exception {
    requireTool("promtool");
    for (Map.Entry<String, byte[]> f : fixtures.entrySet()) {
      Process p =
          new ProcessBuilder("promtool", "check", "metrics").redirectErrorStream(true).start();
      try (OutputStream in = p.getOutputStream()) {
        in.write(f.getValue());
      }
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();

      assertThat(p.exitValue()).as(f.getKey() + ": " + out).isIn(0, 3);
      assertThat(out).as(f.getKey()).doesNotContain("error while linting");
      assertThat(
              new ExpositionParser().parse(f.getValue(), ExpositionFormat.PROMETHEUS_TEXT).size())
          .isPositive();
    }
  }

  @Test
  void everySeriesValueFamilyTypeAndSampleCountMatchesWhatPrometheusScraped(@TempDir Path tmp)
      throws Exception {
    requireTool("prometheus");
    try {
      startPrometheus(tmp);
      compareWithPrometheus();
    } finally {
      stopPrometheus(); // Before JUnit deletes its data directory.
    }
  }

  private Map<String, byte[]> scrapedBodies() {
    Map<String, byte[]> bodies = new TreeMap<>(fixtures);
    bodies.put(OPENMETRICS_JOB, OPENMETRICS_BODY.getBytes(StandardCharsets.UTF_8));
    return bodies;
  }

  private void compareWithPrometheus() throws Exception {
    for (Map.Entry<String, byte[]> f : scrapedBodies().entrySet()) {
      String job = f.getKey();
      ParsedScrape ours = new ExpositionParser().parse(f.getValue(), formatOf(job));

      // Every series and its value, bit for bit (Prometheus prints shortest round-trip decimals).
      Map<Labels, String> theirs = prometheusSeries(job);
      Map<Labels, String> mine = new HashMap<>();
      for (int i = 0; i < ours.size(); i++) {
        mine.put(ours.labels(i), Double.toString(ours.value(i)));
      }
      assertThat(mine).as(job + " series and values").isEqualTo(theirs);
      assertThat(ours.size()).as(job).isEqualTo(theirs.size());

      // The number of samples, as Prometheus counts them in scrape_samples_scraped.
      assertThat((double) ours.size())
          .as(job + " scrape_samples_scraped")
          .isEqualTo(scalarOf("scrape_samples_scraped{job=\"" + job + "\"}"));

      // Every family's type, unit and HELP as Prometheus recorded them.
      Map<String, String> theirFamilies = prometheusMetadata(job);
      Map<String, String> myFamilies = new TreeMap<>();
      for (MetricFamily family : ours.families()) {
        String type = family.type() == MetricType.UNTYPED ? "unknown" : family.type().text();
        myFamilies.put(family.name(), type + " " + family.unit() + " " + family.help());
      }
      assertThat(myFamilies).as(job + " families").isEqualTo(theirFamilies);
      // Histograms are there with every bucket: the le label is part of each compared series.
      assertThat(myFamilies.values()).anyMatch(v -> v.startsWith("histogram "));
      assertThat(theirs).isNotEmpty();
    }
  }

  private void startPrometheus(Path tmp) throws Exception {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    for (Map.Entry<String, byte[]> f : scrapedBodies().entrySet()) {
      server.createContext(
          "/" + f.getKey(),
          exchange -> {
            exchange.getResponseHeaders().add("Content-Type", formatOf(f.getKey()).contentType());
            exchange.sendResponseHeaders(200, f.getValue().length);
            try (OutputStream out = exchange.getResponseBody()) {
              out.write(f.getValue());
            }
          });
    }
    server.start();
    StringBuilder config = new StringBuilder("global:\n  scrape_interval: 1s\nscrape_configs:\n");
    for (String job : scrapedBodies().keySet()) {
      config
          .append("  - job_name: '")
          .append(job)
          .append("'\n")
          .append("    metrics_path: '/")
          .append(job)
          .append("'\n")
          .append("    static_configs:\n      - targets: ['127.0.0.1:")
          .append(server.getAddress().getPort())
          .append("']\n");
    }
    Path configFile = tmp.resolve("prometheus.yml");
    Files.writeString(configFile, config);
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      prometheusPort = s.getLocalPort();
    }
    prometheus =
        new ProcessBuilder(
                "prometheus",
                "--config.file=" + configFile,
                "--storage.tsdb.path=" + tmp.resolve("data"),
                "--web.listen-address=127.0.0.1:" + prometheusPort,
                "--log.level=warn")
            .redirectErrorStream(true)
            .redirectOutput(tmp.resolve("prometheus.log").toFile())
            .start();

    // An end-to-end wait, with a deadline: every target scraped once.
    Instant deadline = Instant.now().plusSeconds(60);
    StringBuilder errors = new StringBuilder();
    while (true) {
      try {
        JsonNode targets = api("/api/v1/targets").path("activeTargets");
        int up = 0;
        errors.setLength(0);
        for (JsonNode t : targets) {
          up += t.path("health").asText().equals("up") ? 1 : 0;
          errors.append(t.path("scrapeUrl").asText()).append(": ");
          errors.append(t.path("lastError").asText()).append('\n');
        }
        if (up == scrapedBodies().size()) {
          return;
        }
      } catch (IOException notYetListening) {
        // Prometheus is still starting.
      }
      if (Instant.now().isAfter(deadline) || !prometheus.isAlive()) {
        throw new AssertionError(
            "Prometheus did not scrape all fixtures in time; its targets:\n"
                + errors
                + "its log:\n"
                + Files.readString(tmp.resolve("prometheus.log")));
      }
      Thread.sleep(200);
    }
  }

  private Map<Labels, String> prometheusSeries(String job) throws Exception {
    JsonNode result = api("/api/v1/query?query=" + encode("{job=\"" + job + "\"}")).path("result");
    Map<Labels, String> out = new HashMap<>();
    for (JsonNode series : result) {
      Labels.Builder b = Labels.builder();
      for (Iterator<Map.Entry<String, JsonNode>> it = series.path("metric").fields();
          it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        b.set(e.getKey(), e.getValue().asText());
      }
      Labels labels = b.remove("job").remove("instance").build();
      if (!SYNTHETIC.contains(labels.name())) {
        out.put(
            labels,
            Double.toString(Double.parseDouble(goFloat(series.path("value").get(1).asText()))));
      }
    }
    return out;
  }

  private static String goFloat(String s) {
    return switch (s) {
      case "+Inf" -> "Infinity";
      case "-Inf" -> "-Infinity";
      default -> s;
    };
  }

  private Map<String, String> prometheusMetadata(String job) throws Exception {
    JsonNode data = api("/api/v1/targets/metadata?match_target=" + encode("{job=\"" + job + "\"}"));
    Map<String, String> out = new TreeMap<>();
    for (JsonNode m : data) {
      String name = m.path("metric").asText();
      if (!SYNTHETIC.contains(name)) {
        out.put(
            name,
            m.path("type").asText()
                + " "
                + m.path("unit").asText()
                + " "
                + m.path("help").asText());
      }
    }
    return out;
  }

  private double scalarOf(String query) throws Exception {
    JsonNode result = api("/api/v1/query?query=" + encode(query)).path("result");
    assertThat(result).as(query).hasSize(1);
    return Double.parseDouble(result.get(0).path("value").get(1).asText());
  }

  private JsonNode api(String pathAndQuery) throws IOException, InterruptedException {
    HttpResponse<String> response =
        http.send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + prometheusPort + pathAndQuery))
                .timeout(Duration.ofSeconds(10))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() != 200) {
      throw new IOException(
          pathAndQuery + " answered " + response.statusCode() + ": " + response.body());
    }
    return json.readTree(response.body()).path("data");
  }

  private static String encode(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  private static void requireTool(String tool) {
    boolean present =
        Stream.of(System.getenv("PATH").split(java.io.File.pathSeparator))
            .anyMatch(dir -> Files.isExecutable(Path.of(dir, tool)));
    if (!present && "true".equals(System.getenv("CI"))) {
      throw new AssertionError(
          tool + " is not installed; CI needs it (run bin/test --install-deps)");
    }
    Assumptions.assumeTrue(present, tool + " is not installed; skipping (bin/test --install-deps)");
  }

  static Path sharedDir() {
    String shared = System.getProperty("raftwatch.shared");
    return shared != null ? Path.of(shared) : Path.of("..", "..", "shared");
  }
}
