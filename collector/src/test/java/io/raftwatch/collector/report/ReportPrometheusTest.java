package io.raftwatch.collector.report;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.raftwatch.collector.cli.RaftwatchCommand;
import io.raftwatch.collector.fixture.EtcdCluster;
import io.raftwatch.collector.fixture.PrometheusServer;
import io.raftwatch.collector.fixture.TestCertificates;
import io.raftwatch.collector.health.CheckStatus;
import io.raftwatch.collector.promql.Engine;
import io.raftwatch.collector.report.source.ActiveAlert;
import io.raftwatch.collector.report.source.EngineQuerySource;
import io.raftwatch.collector.report.source.PrometheusApiSource;
import io.raftwatch.collector.tsdb.Labels;
import io.raftwatch.collector.tsdb.SampleBatch;
import io.raftwatch.collector.tsdb.SeriesStore;
import java.io.PrintWriter;
import java.io.StringWriter;
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
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;
import picocli.CommandLine;

/**
 * Reports and {@code check --prometheus} against Debian's real Prometheus, which scrapes a real
 * 3-member etcd 3.4 cluster over mutual TLS every second with the labels the collector uses
 * ({@code cluster}, {@code job}, {@code member}). The report built through Prometheus's HTTP API is
 * compared with one built in-process by the collector's engine over the very samples Prometheus
 * stored (copied out through the API), so both read the same data. The last test stops a member
 * and waits, with a deadline, until a rule with a tiny {@code for} fires. Skips without etcd or
 * prometheus; fails then when CI=true.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ReportPrometheusTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String CLUSTER = "e2e";
  private static final Duration DEADLINE = Duration.ofSeconds(90);

  @TempDir static Path dir;
  private static EtcdCluster etcd;
  private static PrometheusServer prometheus;
  private static Path config;
  private static final HttpClient http = HttpClient.newHttpClient();

  @BeforeAll
  static void start() throws Exception {
    PrometheusServer.requirePrometheus();
    etcd = EtcdCluster.start(dir.resolve("etcd"), 3);
    TestCertificates certs = etcd.certificates();
    StringBuilder targets = new StringBuilder();
    StringBuilder members = new StringBuilder();
    for (int i = 0; i < 3; i++) {
      URI m = etcd.metricsUrls().get(i);
      targets.append("""
            - targets: ["%s"]
              labels: {cluster: %s, member: member-%d}
          """.formatted(m.getAuthority(), CLUSTER, i + 1));
      members.append("      - {name: member-%d, url: \"%s\", metricsUrl: \"%s\"}\n"
          .formatted(i + 1, etcd.clientUrls().get(i), m));
    }
    // Prometheus evaluates the tiny-for member-down rule (so check --prometheus finds its
    // ALERTS_FOR_STATE) and an always-firing watchdog of no severity (so there is an alert to list).
    Path promRules = Files.writeString(dir.resolve("prometheus.rules.yaml"), """
        groups:
          - name: e2e
            interval: 1s
            rules:
              - alert: TinyMemberDown
                expr: up{job="etcd"} == 0
                for: 3s
                labels: {severity: critical}
                annotations:
                  summary: 'member {{ $labels.member }} is down'
                  runbook_url: https://runbooks.example/etcd#member-down
              - alert: ReportWatchdog
                expr: vector(1)
                labels: {cluster: e2e, severity: none}
                annotations:
                  summary: always firing
        """);
    Path promConfig = Files.writeString(dir.resolve("prometheus.yml"), """
        global: {scrape_interval: 1s, scrape_timeout: 1s, evaluation_interval: 1s}
        rule_files: ["%s"]
        scrape_configs:
          - job_name: etcd
            scheme: https
            tls_config: {ca_file: "%s", cert_file: "%s", key_file: "%s"}
            static_configs:
        %s""".formatted(promRules, certs.caFile(), certs.clientFiles().cert(),
        certs.clientFiles().key(), targets.toString().indent(4)));
    prometheus = PrometheusServer.start(dir, promConfig);
    config = Files.writeString(dir.resolve("raftwatch.yaml"), """
        clusters:
          - name: %s
            job: etcd
            scrapeInterval: 1s
            scrapeTimeout: 1s
            tls: {caFile: "%s", certFile: "%s", keyFile: "%s"}
            members:
        %s""".formatted(CLUSTER, certs.caFile(), certs.clientFiles().cert(),
        certs.clientFiles().key(), members.toString().indent(2)));
    // Some writes, so that the fsync and commit histograms move.
    for (int i = 0; i < 10; i++) {
      etcdctl("put", "report-key-" + i, "value-" + i);
    }
    // Ten scrapes of every member before anything is compared.
    awaitQuery("min(count_over_time(up{cluster=\"e2e\"}[1m])) >= 10 and count(up{cluster=\"e2e\"} == 1) == 3");
  }

  @AfterAll
  static void stop() {
    if (prometheus != null) {
      prometheus.close();
    }
    if (etcd != null) {
      etcd.close();
    }
  }

  @Test
  @Order(1)
  void reportThroughPrometheusAgreesWithTheInProcessReportOverTheSameSamples() throws Exception {
    Instant to = Instant.now().truncatedTo(ChronoUnit.SECONDS).minusSeconds(1);
    ReportRequest request = new ReportRequest(CLUSTER, "cluster=\"e2e\",job=\"etcd\"",
        to.minusSeconds(30), to, Duration.ofSeconds(1), Map.of(), Map.of(), List.of());
    ClusterReport viaApi;
    List<ActiveAlert> alerts;
    try (PrometheusApiSource api = PrometheusApiSource.create(prometheus.url().toString(),
        Optional.empty(), Optional.empty(), Duration.ofSeconds(10))) {
      viaApi = new ReportBuilder(api).build(request);
      alerts = api.activeAlerts();
    }
    SeriesStore store = copyOfPrometheusSamples(to);
    ClusterReport inProcess =
        new ReportBuilder(new EngineQuerySource(new Engine(store), () -> alerts)).build(request);

    assertThat(viaApi.problems()).isEmpty();
    assertThat(viaApi.source()).isEqualTo(prometheus.url() + "/");
    assertThat(viaApi.members()).extracting(MemberHealth::member)
        .containsExactly("member-1", "member-2", "member-3");
    assertThat(viaApi.members()).filteredOn(m -> Boolean.TRUE.equals(m.leader())).hasSize(1);
    assertThat(viaApi.members()).allSatisfy(m -> {
      assertThat(m.up()).isTrue();
      assertThat(m.hasLeader()).isTrue();
      assertThat(m.proposalsCommitted()).isGreaterThanOrEqualTo(10);
      assertThat(m.quotaBytes()).isEqualTo(2147483648.0);
      assertThat(m.dbSizeBytes()).isPositive();
      assertThat(m.openFds()).isPositive();
      assertThat(m.maxFds()).isGreaterThan(m.openFds());
      assertThat(m.residentMemoryBytes()).isPositive();
    });
    assertThat(viaApi.verdict()).isEqualTo(CheckStatus.OK);
    assertThat(viaApi.activeAlerts()).extracting(ReportAlert::name).containsExactly("ReportWatchdog");
    assertThat(viaApi.recentAlerts()).extracting(RecentAlert::name).containsExactly("ReportWatchdog");

    // Same samples, two engines: every number agrees.
    assertThat(inProcess.verdict()).isEqualTo(viaApi.verdict());
    assertThat(inProcess.verdictReason()).isEqualTo(viaApi.verdictReason());
    assertThat(inProcess.members()).hasSameSizeAs(viaApi.members());
    for (int i = 0; i < viaApi.members().size(); i++) {
      assertSameMember(inProcess.members().get(i), viaApi.members().get(i));
    }
    assertThat(inProcess.activeAlerts()).isEqualTo(viaApi.activeAlerts());
    assertThat(inProcess.recentAlerts()).isEqualTo(viaApi.recentAlerts());
    assertThat(inProcess.charts()).hasSameSizeAs(viaApi.charts());
    for (int c = 0; c < viaApi.charts().size(); c++) {
      Chart a = viaApi.charts().get(c);
      Chart b = inProcess.charts().get(c);
      assertThat(b.query()).isEqualTo(a.query());
      assertThat(b.series()).extracting(ChartSeries::member)
          .containsExactlyElementsOf(a.series().stream().map(ChartSeries::member).toList());
      for (int s = 0; s < a.series().size(); s++) {
        List<ChartSeries.Point> pa = a.series().get(s).points();
        List<ChartSeries.Point> pb = b.series().get(s).points();
        assertThat(pb).as(a.id()).hasSameSizeAs(pa);
        for (int p = 0; p < pa.size(); p++) {
          assertThat(pb.get(p).t()).isEqualTo(pa.get(p).t());
          assertThat(pb.get(p).v()).as(a.id() + " at " + pa.get(p).t())
              .isCloseTo(pa.get(p).v(), org.assertj.core.api.Assertions.withinPercentage(1e-9));
        }
      }
    }
    // A gauge every member exports has a point per second since Prometheus began scraping.
    assertThat(viaApi.charts().get(3).series()).allSatisfy(s -> assertThat(s.points()).hasSizeGreaterThanOrEqualTo(8));

    // The renderings of the Prometheus-built report.
    Document html = ReportRenderingTest.parseXml(new ReportRenderer().render(viaApi, ReportFormat.HTML));
    assertThat(ReportRenderingTest.count(html, "//*[local-name()='svg']")).isEqualTo(5);
    for (String chart : List.of("leader_changes", "db_size", "open_fds", "proposals_pending")) {
      NodeList lines = ReportRenderingTest.nodes(html,
          "//*[local-name()='svg'][@data-chart='" + chart + "']/*[local-name()='polyline']");
      List<String> drawn = new ArrayList<>();
      for (int i = 0; i < lines.getLength(); i++) {
        drawn.add(((Element) lines.item(i)).getAttribute("data-member"));
      }
      assertThat(drawn).as(chart).containsExactly("member-1", "member-2", "member-3");
    }
    JsonNode json = JSON.readTree(new ReportRenderer().render(viaApi, ReportFormat.JSON));
    assertThat(ReportRenderingTest.validate(json)).isEmpty();
  }

  @Test
  @Order(2)
  void reportCommandWritesJsonAndMarkdownFromPrometheus() throws Exception {
    Path out = dir.resolve("e2e.json");
    StringWriter err = new StringWriter();
    int exit = execute(new StringWriter(), err, "report", "--config", config.toString(),
        "--prometheus", prometheus.url().toString(), "--since", "1m", "--format", "json",
        "--out", out.toString());

    assertThat(exit).as(err.toString()).isZero();
    assertThat(err.toString()).isEmpty();
    JsonNode json = JSON.readTree(Files.readString(out));
    assertThat(ReportRenderingTest.validate(json)).isEmpty();
    assertThat(json.get("cluster").asText()).isEqualTo(CLUSTER);
    assertThat(json.get("verdict").asText()).isEqualTo("OK");
    assertThat(json.get("members").size()).isEqualTo(3);

    StringWriter md = new StringWriter();
    exit = execute(md, err, "report", "-c", config.toString(), "--prometheus",
        prometheus.url().toString(), "--since", "1m", "--format", "md");
    assertThat(exit).as(err.toString()).isZero();
    assertThat(md.toString()).startsWith("# Cluster e2e: OK\n")
        .contains("| member-1 | 127.0.0.1:", "| firing | none | ReportWatchdog |");
  }

  @Test
  @Order(3)
  void checkThroughPrometheusGivesTheScrapingChecksVerdictOnAHealthyCluster() {
    StringWriter viaPrometheus = new StringWriter();
    int exitPrometheus = execute(viaPrometheus, viaPrometheus, "check", "--config", config.toString(),
        "--prometheus", prometheus.url().toString());
    StringWriter scraped = new StringWriter();
    int exitScraped = execute(scraped, scraped, "check", "--config", config.toString(),
        "--interval", "200ms");

    assertThat(exitPrometheus).as(viaPrometheus.toString()).isZero();
    assertThat(exitScraped).as(scraped.toString()).isZero();
    String leader = scraped.toString().lines().findFirst().orElseThrow()
        .replaceAll("^OK - e2e: 3/3 members up, (leader member-\\d), .*$", "$1");
    assertThat(viaPrometheus.toString()).startsWith("OK - e2e: 3/3 members up, " + leader + ", 0 firing");
    assertThat(viaPrometheus.toString()).doesNotContain("problems:");
  }

  @Test
  @Order(4)
  void aMemberDownPastATinyForIsCriticalThroughPrometheusAndWhenScraped() throws Exception {
    Path checkRules = Files.writeString(dir.resolve("check.rules.yaml"), """
        groups:
          - name: tiny
            interval: 1s
            rules:
              - alert: TinyMemberDown
                expr: up{job="etcd"} == 0
                for: 3s
                labels: {severity: critical}
                annotations:
                  summary: 'member {{ $labels.member }} is down'
              # Prometheus does not have this one: its 'for' is judged by a range query.
              - alert: TinyMemberDownNotInPrometheus
                expr: up{job="etcd"} == 0
                for: 3s
                labels: {severity: critical}
        """);
    int follower = 1;
    while (follower <= 3 && leaderIs(follower)) {
      follower++;
    }
    etcd.stop(follower);
    try {
      awaitQuery("ALERTS{alertname=\"TinyMemberDown\",alertstate=\"firing\",member=\"member-"
          + follower + "\"}");
      // One more hold duration of down samples for the range-query judgement.
      awaitQuery("time() - ALERTS_FOR_STATE{alertname=\"TinyMemberDown\",member=\"member-"
          + follower + "\"} > 6");
      StringWriter viaPrometheus = new StringWriter();
      int exit = execute(viaPrometheus, viaPrometheus, "check", "--config", config.toString(),
          "--prometheus", prometheus.url().toString(), "--rules", checkRules.toString());

      assertThat(exit).as(viaPrometheus.toString()).isEqualTo(2);
      assertThat(viaPrometheus.toString())
          .startsWith("CRITICAL - e2e: 2/3 members up, ")
          .contains("    critical  TinyMemberDown member=member-" + follower + "  member member-"
              + follower + " is down\n")
          .contains("    critical  TinyMemberDownNotInPrometheus member=member-" + follower + "\n")
          .doesNotContain("pending (their");

      StringWriter scraped = new StringWriter();
      int exitScraped = execute(scraped, scraped, "check", "--config", config.toString(),
          "--rules", checkRules.toString(), "--interval", "4s");
      assertThat(exitScraped).as(scraped.toString()).isEqualTo(2);
      assertThat(scraped.toString()).startsWith("CRITICAL - e2e: 2/3 members up, ");

      // The report sees the same: CRITICAL, the member down, the alert with its runbook.
      StringWriter md = new StringWriter();
      StringWriter err = new StringWriter();
      int exitReport = execute(md, err, "report", "-c", config.toString(), "--prometheus",
          prometheus.url().toString(), "--since", "2m", "--format", "md");
      assertThat(exitReport).as(err.toString()).isZero();
      assertThat(md.toString()).startsWith("# Cluster e2e: CRITICAL\n")
          .contains("critical alerts firing: TinyMemberDown")
          .contains("| member-" + follower + " | 127.0.0.1:")
          .contains("https://runbooks.example/etcd#member-down");
    } finally {
      etcd.restart(follower);
    }
  }

  private static boolean leaderIs(int member) throws Exception {
    JsonNode r = query("etcd_server_is_leader{member=\"member-" + member + "\"}");
    return r.size() == 1 && r.get(0).at("/value/1").asText().equals("1");
  }

  private static void assertSameMember(MemberHealth a, MemberHealth b) throws Exception {
    for (var c : MemberHealth.class.getRecordComponents()) {
      Object va = c.getAccessor().invoke(a);
      Object vb = c.getAccessor().invoke(b);
      if (va instanceof Double da && vb instanceof Double db) {
        assertThat(da).as(a.member() + " " + c.getName())
            .isCloseTo(db, org.assertj.core.api.Assertions.withinPercentage(1e-9));
      } else {
        assertThat(va).as(a.member() + " " + c.getName()).isEqualTo(vb);
      }
    }
  }

  /** Every raw sample Prometheus holds for the cluster, up to {@code to}, in a store of our own. */
  private static SeriesStore copyOfPrometheusSamples(Instant to) throws Exception {
    SeriesStore store = new SeriesStore(100_000, Duration.ofDays(1));
    JsonNode result = api("query", "query=" + enc("{cluster=\"e2e\"}[10m]") + "&time="
        + to.getEpochSecond()).at("/data/result");
    assertThat(result.size()).isGreaterThan(100);
    for (JsonNode series : result) {
      Map<String, String> labels = new TreeMap<>();
      for (Iterator<Map.Entry<String, JsonNode>> it = series.get("metric").fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        labels.put(e.getKey(), e.getValue().asText());
      }
      SampleBatch batch = new SampleBatch();
      Labels l = Labels.of(labels);
      List<JsonNode> values = new ArrayList<>();
      series.get("values").forEach(values::add);
      values.sort(Comparator.comparingDouble(v -> v.get(0).asDouble()));
      for (JsonNode v : values) {
        batch.add(l, Math.round(v.get(0).asDouble() * 1000), Double.parseDouble(v.get(1).asText()));
      }
      store.append(CLUSTER, batch);
    }
    return store;
  }

  private static void awaitQuery(String promql) throws Exception {
    Instant deadline = Instant.now().plus(DEADLINE);
    while (query(promql).isEmpty()) {
      assertThat(prometheus.isAlive()).as(prometheus.log()).isTrue();
      assertThat(Instant.now()).as("no result for " + promql + " after " + DEADLINE.toSeconds()
          + "s; Prometheus log:\n" + prometheus.log()).isBefore(deadline);
      Thread.sleep(500);
    }
  }

  private static JsonNode query(String promql) throws Exception {
    return api("query", "query=" + enc(promql)).at("/data/result");
  }

  private static JsonNode api(String endpoint, String params) throws Exception {
    HttpResponse<String> r = http.send(HttpRequest.newBuilder(
        prometheus.url().resolve("/api/v1/" + endpoint + "?" + params)).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    return JSON.readTree(r.body());
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  private static void etcdctl(String... args) throws Exception {
    TestCertificates certs = etcd.certificates();
    List<String> cmd = new ArrayList<>(List.of("etcdctl", "--endpoints=" + etcd.clientUrls().get(0),
        "--cacert=" + certs.caFile(), "--cert=" + certs.clientFiles().cert(),
        "--key=" + certs.clientFiles().key()));
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
    pb.environment().put("ETCDCTL_API", "3");
    Process p = pb.start();
    assertThat(p.waitFor(20, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(new String(p.getInputStream().readAllBytes())).isZero();
  }

  private static int execute(StringWriter out, StringWriter err, String... args) {
    CommandLine cl = RaftwatchCommand.commandLine();
    cl.setOut(new PrintWriter(out, true));
    cl.setErr(new PrintWriter(err, true));
    return cl.execute(args);
  }
}
