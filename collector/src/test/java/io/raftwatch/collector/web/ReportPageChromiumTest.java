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
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The report page in Debian's headless Chromium against a real 3-member etcd 3.4 cluster over
 * mutual TLS, watched by a real {@link Collector} (Quartz, 1s scrape interval, H2 history) with a
 * test rule whose {@code for:} is 2s: the page loads without a single console error or exception,
 * shows the three members with the leader marked, and — without reloading — shows a member-down
 * alert going pending and firing while a follower is stopped, then resolved (gone from the alerts,
 * a "resolved" row in the history) after it is restarted; its report links render. With {@code
 * -Draftwatch.screenshot=true} the page is saved to {@code docs/images/report-page.png} while the
 * alert fires. Skips without etcd or chromium; fails then when CI=true.
 */
class ReportPageChromiumTest {
  private static final Duration DEADLINE = Duration.ofSeconds(60);
  private static final String ALERT = "PageTestMemberDown";

  @TempDir Path dir;

  @Test
  void pageShowsMembersLeaderAndAnAlertFiringAndResolving() throws Exception {
    EtcdCluster.requireEtcd();
    try (EtcdCluster etcd = EtcdCluster.start(dir.resolve("etcd"), 3);
        Collector collector = Collector.create(config(etcd),
            CollectorOptions.defaults(dir.resolve("data")));
        CollectorWeb web = CollectorWeb.start(collector,
            new InetSocketAddress("127.0.0.1", 0), Duration.ofMillis(200));
        HeadlessChromium chromium = HeadlessChromium.start(dir)) {
      collector.start();
      chromium.navigate(web.baseUri() + "/");
      chromium.evaluate("window.loadedOnce = true");

      // Three members, all up, exactly one marked as the leader, and the stream is live.
      chromium.waitFor("document.querySelectorAll('tr[data-member][data-up=\"true\"]').length === 3"
          + " && document.querySelectorAll('tr[data-member][data-leader=\"true\"]').length === 1",
          DEADLINE);
      chromium.waitFor("document.getElementById('live').dataset.live === 'live'", DEADLINE);
      String leader = chromium.evaluate(
          "document.querySelector('tr[data-member][data-leader=\"true\"]').dataset.member").asText();
      assertThat(leader).isIn("m1", "m2", "m3");
      assertThat(chromium.evaluate("document.querySelector('tr[data-leader=\"true\"] td').textContent")
          .asText()).isEqualTo("★ " + leader);
      assertThat(chromium.evaluate("document.querySelector('.card[data-cluster=\"page\"]')"
          + ".textContent").asText()).contains("3/3 members up").contains("leader: ★ " + leader);
      // The cluster's report, linked from the page, renders through the report package.
      JsonNode report = chromium.evaluate("fetch(document.querySelector('section[data-cluster="
          + "\"page\"] a[data-format=\"json\"]').href).then(r => r.json())");
      assertThat(report.get("cluster").asText()).isEqualTo("page");
      assertThat(report.get("members")).hasSize(3);
      assertThat(chromium.evaluate("fetch(document.querySelector('section[data-cluster="
          + "\"page\"] a[data-format=\"html\"]').href).then(r => r.text())").asText())
          .contains("page").contains("<svg");
      // Charts come from the engine: the db size chart of the leader has data.
      chromium.waitFor("document.querySelector('.charts[data-member=\"" + leader + "\"] "
          + "[data-chart=\"db_size\"] path.line') !== null", DEADLINE);

      if (Boolean.getBoolean("raftwatch.screenshot")) {
        // For the README's picture only: let the charts gather a few points.
        chromium.waitFor("document.querySelector('.charts[data-member=\"" + leader + "\"] "
            + "[data-chart=\"db_size\"] path.line').getAttribute('d').split('L').length > 5",
            Duration.ofSeconds(120));
      }

      // Stop a follower: its row goes down and the alert appears, pending, then firing.
      int follower = leader.equals("m1") ? 2 : 1;
      String followerName = "m" + follower;
      etcd.stop(follower);
      String alertRow = "tr[data-alert=\"" + ALERT + "\"][data-cluster=\"page\"]";
      chromium.waitFor("document.querySelector('tr[data-member=\"" + followerName
          + "\"][data-up=\"false\"]') !== null", DEADLINE);
      chromium.waitFor("document.querySelector('" + alertRow.replace("'", "\\'")
          + "[data-state=\"firing\"]') !== null", DEADLINE);
      assertThat(chromium.evaluate("document.querySelector('" + alertRow
          + "').textContent").asText()).contains(followerName + " is down");
      // The history shows it went pending before it fired.
      chromium.waitFor("document.querySelector('#history tr[data-alert=\"" + ALERT
          + "\"][data-kind=\"pending\"]') !== null", DEADLINE);
      assertThat(apiAlerts(web.baseUri())).anySatisfy(a -> {
        assertThat(a.at("/labels/alertname").asText()).isEqualTo(ALERT);
        assertThat(a.get("state").asText()).isEqualTo("firing");
        assertThat(a.get("value").asText()).isEqualTo("0e+00");
      });
      if (Boolean.getBoolean("raftwatch.screenshot")) {
        Path png = repoRoot().resolve("docs/images/report-page.png");
        Files.createDirectories(png.getParent());
        Files.write(png, chromium.screenshot());
      }

      // Restart it: the alert resolves, leaves the alert table and shows in the history.
      etcd.restart(follower);
      chromium.waitFor("document.querySelector('" + alertRow + "') === null"
          + " && document.querySelector('#history tr[data-alert=\"" + ALERT
          + "\"][data-kind=\"resolved\"]') !== null", DEADLINE);
      chromium.waitFor("document.querySelectorAll('tr[data-member][data-up=\"true\"]').length === 3",
          DEADLINE);
      assertThat(chromium.evaluate("window.loadedOnce === true").asBoolean())
          .as("the page updated itself without a reload").isTrue();
      assertThat(chromium.problems()).as("console errors and exceptions").isEmpty();
    }
  }

  private RaftwatchConfig config(EtcdCluster etcd) throws Exception {
    Path rules = dir.resolve("page-test.rules.yaml");
    Files.writeString(rules, """
        groups:
          - name: page-test
            rules:
              - alert: %s
                expr: up{cluster="page"} == 0
                for: 2s
                labels:
                  severity: critical
                annotations:
                  summary: "member {{ $labels.member }} is down"
        """.formatted(ALERT));
    TestCertificates certs = etcd.certificates();
    String members = etcd.membersYaml(6);
    return new ConfigLoader().parse("raftwatch.yaml", """
        clusters:
          - name: page
            scrapeInterval: 1s
            scrapeTimeout: 1s
            tls:
              caFile: %s
              certFile: %s
              keyFile: %s
            ruleFiles: [%s]
            members:
        %s""".formatted(certs.caFile(), certs.clientFiles().cert(), certs.clientFiles().key(),
        rules, members), dir);
  }

  private static JsonNode apiAlerts(URI base) throws Exception {
    HttpResponse<String> r = HttpClient.newHttpClient().send(
        HttpRequest.newBuilder(base.resolve("/api/v1/alerts")).build(),
        HttpResponse.BodyHandlers.ofString());
    return new ObjectMapper().readTree(r.body()).at("/data/alerts");
  }

  private static Path repoRoot() {
    String root = System.getProperty("raftwatch.root");
    return root != null ? Path.of(root) : Path.of("..");
  }
}
