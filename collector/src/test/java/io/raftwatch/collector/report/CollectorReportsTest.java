package io.raftwatch.collector.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.raftwatch.collector.config.ConfigLoader;
import io.raftwatch.collector.config.RaftwatchConfig;
import io.raftwatch.collector.fixture.EtcdCluster;
import io.raftwatch.collector.fixture.ManualClock;
import io.raftwatch.collector.fixture.TestCertificates;
import io.raftwatch.collector.health.ClusterState;
import io.raftwatch.collector.jobs.ClusterWatch;
import io.raftwatch.collector.jobs.Collector;
import io.raftwatch.collector.jobs.CollectorOptions;
import io.raftwatch.collector.report.source.PrometheusApiSource;
import io.raftwatch.collector.web.CollectorWeb;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * The in-process reports of a running collector — the daily report job and the page's renderer —
 * over a real 3-member etcd 3.4 cluster (mutual TLS). The collector's health checks are run by
 * hand and stamped by a manual clock a second apart, so a rule's {@code for} passes without
 * waiting; a stopped member makes a tiny-for alert fire and resolve in the H2 history. Skips
 * without etcd (fails when CI=true).
 */
class CollectorReportsTest {
  @TempDir Path dir;
  private final ManualClock clock = new ManualClock(Instant.now().truncatedTo(ChronoUnit.SECONDS));

  @Test
  void dailyJobWritesEveryFormatAndThePageRendersTheSameReport() throws Exception {
    try (EtcdCluster etcd = EtcdCluster.start(dir.resolve("etcd"), 3)) {
      Path dataDir = dir.resolve("data");
      try (Collector collector = Collector.create(config(etcd),
          CollectorOptions.defaults(dataDir).withClock(clock))) {
        ClusterWatch watch = collector.cluster("daily").orElseThrow();
        for (int i = 0; i < 5; i++) {
          step(watch);
        }
        int follower = 1 + indexOfFollower(watch.state());
        etcd.stop(follower);
        for (int i = 0; i < 4; i++) {
          step(watch);
        }
        assertThat(watch.state().alerts()).extracting(a -> a.alertname() + " " + a.state())
            .contains("DailyMemberDown firing");
        etcd.restart(follower);
        for (int i = 0; i < 3; i++) {
          step(watch);
        }
        assertThat(watch.state().alerts()).isEmpty();
        Instant fire = clock.instant();

        new CollectorReports().run(collector, fire);

        Path reports = CollectorReports.reportsDir(dataDir);
        String date = LocalDate.ofInstant(fire, ZoneOffset.UTC).toString();
        try (var files = Files.list(reports)) {
          assertThat(files.map(p -> p.getFileName().toString()).sorted().toList()).containsExactly(
              "daily-" + date + ".html", "daily-" + date + ".json", "daily-" + date + ".md");
        }
        JsonNode json = new ObjectMapper().readTree(reports.resolve("daily-" + date + ".json").toFile());
        assertThat(ReportRenderingTest.validate(json)).isEmpty();
        assertThat(json.get("source").asText()).isEqualTo("in-process");
        assertThat(json.get("verdict").asText()).isEqualTo("OK");
        assertThat(json.get("members").size()).isEqualTo(3);
        assertThat(json.get("members").findValuesAsText("up")).containsOnly("true");
        // The alert is over, but the report says it fired, with the rule's annotations from the
        // history and its runbook.
        JsonNode recent = json.get("recentAlerts");
        assertThat(recent.size()).isEqualTo(1);
        assertThat(recent.at("/0/name").asText()).isEqualTo("DailyMemberDown");
        assertThat(recent.at("/0/fired").asBoolean()).isTrue();
        assertThat(recent.at("/0/activeAtEnd").asBoolean()).isFalse();
        assertThat(recent.at("/0/labels/member").asText()).isEqualTo("member-" + follower);
        assertThat(recent.at("/0/annotations/summary").asText()).isEqualTo("member-" + follower + " is down");
        assertThat(recent.at("/0/annotations/runbook_url").asText())
            .isEqualTo("https://runbooks.example/etcd#down");
        assertThat(Files.readString(reports.resolve("daily-" + date + ".md")))
            .startsWith("# Cluster daily: OK\n");

        // The page's renderer: the same report, any window.
        Document html = ReportRenderingTest.parseXml(
            new CollectorReports().render(collector, "daily", ReportFormat.HTML, Duration.ofMinutes(5), fire));
        assertThat(ReportRenderingTest.count(html, "//*[local-name()='table'][@id='members']"
            + "//*[local-name()='tbody']/*[local-name()='tr']")).isEqualTo(3);
        // One line per member; the stopped member's is broken where it was down.
        NodeList lines = ReportRenderingTest.nodes(html, "//*[local-name()='svg'][@data-chart='open_fds']"
            + "/*[local-name()='polyline']");
        List<String> drawn = new ArrayList<>();
        for (int i = 0; i < lines.getLength(); i++) {
          drawn.add(((Element) lines.item(i)).getAttribute("data-member"));
        }
        assertThat(drawn).hasSize(4).containsOnly("member-1", "member-2", "member-3");
        assertThat(drawn).filteredOn(("member-" + follower)::equals).hasSize(2);
        // The collector's own Prometheus-compatible API (helper web's) gives the same report as
        // the engine in-process: same store, same PromQL, over HTTP.
        ClusterReport inProcess = new CollectorReports().build(collector, "daily", Duration.ofMinutes(1), fire);
        ClusterReport viaApi;
        try (CollectorWeb web = CollectorWeb.start(collector,
            new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0), Duration.ofHours(1));
            PrometheusApiSource api = PrometheusApiSource.create(web.baseUri().toString(),
                Optional.empty(), Optional.empty(), Duration.ofSeconds(10))) {
          viaApi = new ReportBuilder(api).build(ReportRequest.of(watch.config(), Duration.ofMinutes(1),
              fire, Map.of()));
        }
        assertThat(viaApi.problems()).isEmpty();
        assertThat(viaApi.verdict()).isEqualTo(inProcess.verdict());
        assertThat(viaApi.verdictReason()).isEqualTo(inProcess.verdictReason());
        assertThat(viaApi.members()).isEqualTo(inProcess.members());
        assertThat(viaApi.charts()).usingRecursiveFieldByFieldElementComparator()
            .isEqualTo(inProcess.charts());
        assertThat(viaApi.recentAlerts()).extracting(RecentAlert::name, RecentAlert::fired)
            .containsExactly(org.assertj.core.api.Assertions.tuple("DailyMemberDown", true));

        assertThatThrownBy(() -> new CollectorReports().build(collector, "nope", Duration.ofHours(1), fire))
            .isInstanceOf(NoSuchElementException.class)
            .hasMessage("no cluster 'nope'; the collector watches daily");
      }
    }
  }

  private void step(ClusterWatch watch) {
    clock.advance(Duration.ofSeconds(1));
    watch.runOnce(clock.instant());
  }

  private static int indexOfFollower(ClusterState state) {
    for (int i = 0; i < state.members().size(); i++) {
      if (!state.members().get(i).isLeader().orElse(true)) {
        return i;
      }
    }
    throw new AssertionError("no follower in " + state);
  }

  private RaftwatchConfig config(EtcdCluster etcd) throws Exception {
    TestCertificates certs = etcd.certificates();
    Path rules = Files.writeString(dir.resolve("daily.rules.yaml"), """
        groups:
          - name: daily
            rules:
              - alert: DailyMemberDown
                expr: up{job="etcd"} == 0
                for: 2s
                labels: {severity: critical}
                annotations:
                  summary: '{{ $labels.member }} is down'
                  runbook_url: https://runbooks.example/etcd#down
        """);
    StringBuilder members = new StringBuilder();
    List<URI> urls = etcd.metricsUrls();
    for (int i = 0; i < urls.size(); i++) {
      members.append("      - {name: member-%d, url: \"%s\"}\n".formatted(i + 1, urls.get(i)));
    }
    Path file = Files.writeString(dir.resolve("raftwatch.yaml"), """
        clusters:
          - name: daily
            job: etcd
            scrapeInterval: 1s
            scrapeTimeout: 1s
            ruleFiles: ["%s"]
            tls: {caFile: "%s", certFile: "%s", keyFile: "%s"}
            members:
        %s""".formatted(rules, certs.caFile(), certs.clientFiles().cert(),
        certs.clientFiles().key(), members.toString().indent(2)));
    return new ConfigLoader().load(file);
  }
}
