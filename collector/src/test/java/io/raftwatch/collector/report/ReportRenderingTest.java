package io.raftwatch.collector.report;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.Error;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import io.raftwatch.collector.health.CheckStatus;
import io.raftwatch.collector.promql.Engine;
import io.raftwatch.collector.report.source.ActiveAlert;
import io.raftwatch.collector.report.source.EngineQuerySource;
import io.raftwatch.collector.report.source.QuerySource;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.xpath.XPathConstants;
import javax.xml.xpath.XPathFactory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.NodeList;

/**
 * A report over an hour of synthetic series (see {@link SyntheticCluster}): what the builder makes
 * of them, and the three renderings — HTML parsed by the JDK's strict XML parser, Markdown's
 * structure, JSON validated against docs/report.schema.json — with a member name full of markup
 * that must come out escaped everywhere.
 */
class ReportRenderingTest {
  private static ClusterReport report;
  private static final ReportRenderer renderer = new ReportRenderer();

  @BeforeAll
  static void build() throws Exception {
    Engine engine = new Engine(SyntheticCluster.store());
    ActiveAlert firing = new ActiveAlert(Map.of("alertname", "etcdMemberScrapeFailing",
        "cluster", "prod", "job", "etcd", "instance", "10.0.0.3:2379", "member", SyntheticCluster.EVIL,
        "severity", "warning"), Map.of("summary", "etcd member cannot be scraped <now>.",
        "runbook_url", "https://runbooks.example/etcd#scrape"), "firing",
        Optional.of(SyntheticCluster.END.minus(Duration.ofMinutes(19))), 1);
    ActiveAlert otherCluster = new ActiveAlert(Map.of("alertname", "etcdNoLeader",
        "cluster", "staging", "severity", "critical"), Map.of(), "firing", Optional.empty(), 0);
    QuerySource source = new EngineQuerySource(engine, () -> List.of(firing, otherCluster));
    ReportRequest request = new ReportRequest("prod", "cluster=\"prod\",job=\"etcd\"",
        SyntheticCluster.END.minus(Duration.ofHours(1)), SyntheticCluster.END,
        SyntheticCluster.SCRAPE, Map.of(), Map.of("etcdMemberScrapeFailing",
            Map.of("runbook_url", "javascript:alert(1)")), List.of());
    report = new ReportBuilder(source).build(request);
  }

  @Test
  void builderReadsMembersAlertsAndVerdictFromTheSeries() {
    assertThat(report.problems()).isEmpty();
    assertThat(report.members()).extracting(MemberHealth::member)
        .containsExactly("a", "b", SyntheticCluster.EVIL);
    MemberHealth a = report.members().get(0);
    assertThat(a.up()).isTrue();
    assertThat(a.leader()).isFalse();
    assertThat(report.members().get(1).leader()).isTrue();
    assertThat(a.leaderChangesSeen()).isEqualTo(2);
    assertThat(a.leaderChangesInWindow()).isEqualTo(1);
    assertThat(a.proposalsCommitted()).isEqualTo(1000 + 10 * 240);
    assertThat(a.proposalsPendingMax()).isEqualTo(3);
    assertThat(a.dbSizeBytes()).isEqualTo(20_000_000 + 10_000 * 240);
    assertThat(a.quotaUsedRatio()).isCloseTo(22_400_000 / 2147483648.0, org.assertj.core.api.Assertions.within(1e-12));
    assertThat(a.openFds()).isEqualTo(100);
    assertThat(a.maxFds()).isEqualTo(1_048_576);
    // histogram_quantile interpolates inside the 1-2 ms bucket.
    assertThat(a.walFsyncP99Seconds()).isBetween(0.001, 0.002);
    MemberHealth c = report.members().get(2);
    assertThat(c.up()).isFalse();
    assertThat(c.leader()).as("no sample for 20 minutes, beyond the 5m lookback").isNull();
    assertThat(c.walFsyncP99Seconds()).isBetween(0.032, 0.064);
    // The other cluster's alert is not this report's business.
    assertThat(report.activeAlerts()).extracting(ReportAlert::name).containsExactly("etcdMemberScrapeFailing");
    assertThat(report.verdict()).isEqualTo(CheckStatus.WARNING);
    assertThat(report.verdictReason())
        .isEqualTo("warning alerts firing: etcdMemberScrapeFailing; 2/3 members up, leader b");
    assertThat(report.recentAlerts()).singleElement().satisfies(r -> {
      assertThat(r.fired()).isTrue();
      assertThat(r.activeAtEnd()).isTrue();
      // The active alert's annotations win over the rule's.
      assertThat(r.runbookUrl()).isEqualTo("https://runbooks.example/etcd#scrape");
    });
    assertThat(report.charts()).extracting(Chart::id).containsExactly(
        "wal_fsync_p99", "leader_changes", "proposals_pending", "db_size", "open_fds");
    assertThat(report.charts().get(3).series()).extracting(ChartSeries::member)
        .containsExactly("a", "b", SyntheticCluster.EVIL);
  }

  @Test
  void htmlIsWellFormedSelfContainedAndDrawsOneLinePerMember() throws Exception {
    String html = renderer.render(report, ReportFormat.HTML);
    Document doc = parseXml(html);

    assertThat(text(doc, "//*[local-name()='span'][@id='verdict']")).isEqualTo("WARNING");
    assertThat(count(doc, "//*[local-name()='table'][@id='members']//*[local-name()='tbody']/*[local-name()='tr']"))
        .isEqualTo(3);
    assertThat(count(doc, "//*[local-name()='svg']")).isEqualTo(5);
    for (String chart : List.of("wal_fsync_p99", "db_size", "open_fds")) {
      NodeList lines = nodes(doc, "//*[local-name()='svg'][@data-chart='" + chart + "']/*[local-name()='polyline']");
      assertThat(lines.getLength()).as(chart).isEqualTo(3);
      List<String> members = new java.util.ArrayList<>();
      for (int i = 0; i < lines.getLength(); i++) {
        members.add(((org.w3c.dom.Element) lines.item(i)).getAttribute("data-member"));
      }
      assertThat(members).as(chart).containsExactly("a", "b", SyntheticCluster.EVIL);
    }
    assertThat(html).contains("data-member=\"c&lt;b&gt;&amp;&quot;&#39;\"");
    assertThat(text(doc, "//*[local-name()='svg'][@data-chart='db_size']//*[@class='legend'][3]"))
        .isEqualTo(SyntheticCluster.EVIL);
    // Nothing to fetch: no script, no external stylesheet, image or font.
    assertThat(count(doc, "//*[local-name()='script' or local-name()='link' or local-name()='img']"))
        .isZero();
    assertThat(html).doesNotContain("<b>").doesNotContain("http://fonts");
    assertThat(html).contains("etcd member cannot be scraped &lt;now&gt;.");
    assertThat(text(doc, "//*[local-name()='table'][@id='active-alerts']//*[local-name()='a']/@href"))
        .isEqualTo("https://runbooks.example/etcd#scrape");
  }

  @Test
  void unsafeRunbookUrlsAreShownButNotLinked() throws Exception {
    ClusterReport withBadLink = new ClusterReport(1, "prod", report.from(), report.to(), "in-process",
        CheckStatus.OK, "", List.of(), List.of(), List.of(new RecentAlert("x", "warning", Map.of(),
            Map.of("runbook_url", "javascript:alert(1)"), report.from(), report.to(), true, true)),
        List.of(), List.of());
    Document doc = parseXml(renderer.render(withBadLink, ReportFormat.HTML));
    assertThat(count(doc, "//*[local-name()='a']")).isZero();
    assertThat(text(doc, "//*[local-name()='table'][@id='recent-alerts']//*[local-name()='td'][8]"))
        .isEqualTo("javascript:alert(1)");
  }

  @Test
  void markdownHasTheSectionsTablesAndEscapedValues() {
    String md = renderer.render(report, ReportFormat.MARKDOWN);
    List<String> lines = md.lines().toList();

    assertThat(lines.get(0)).isEqualTo("# Cluster prod: WARNING");
    assertThat(lines).filteredOn(l -> l.startsWith("## ")).containsExactly(
        "## Members", "## Active alerts", "## Alerts in the window", "## Charts");
    assertThat(lines).filteredOn(l -> l.startsWith("### ")).containsExactly(
        "### WAL fsync p99 (seconds)", "### Leader changes seen (count)",
        "### Pending proposals (count)", "### Database size (bytes)",
        "### Open file descriptors (count)");
    // Every table row has as many cells as its header.
    int header = -1;
    for (String l : lines) {
      if (!l.startsWith("|")) {
        header = -1;
        continue;
      }
      int cells = cells(l);
      if (header < 0) {
        header = cells;
      }
      assertThat(cells).as(l).isEqualTo(header);
    }
    assertThat(md).contains("| a | 10.0.0.1:2379 | up | no | yes | 1 / 2 | 3400 | 3400 |");
    assertThat(md).contains("| c&lt;b\\>&amp;\"' | 10.0.0.3:2379 | DOWN | - | - |");
    assertThat(md).contains("| firing | warning | etcdMemberScrapeFailing |");
  }

  @Test
  void jsonValidatesAgainstTheSchemaAndCarriesEveryPoint() throws Exception {
    String json = renderer.render(report, ReportFormat.JSON);
    JsonNode doc = new ObjectMapper().readTree(json);

    assertThat(validate(doc)).isEmpty();
    assertThat(doc.get("schemaVersion").asInt()).isEqualTo(1);
    assertThat(doc.get("from").asText()).isEqualTo("2026-11-24T11:00:00Z");
    assertThat(doc.at("/members/2/member").asText()).isEqualTo(SyntheticCluster.EVIL);
    assertThat(doc.at("/members/2/leader").isNull()).isTrue();
    assertThat(doc.at("/charts/3/series/0/points").size()).isEqualTo(241);
    // A document from another schema version is refused by the schema.
    ((com.fasterxml.jackson.databind.node.ObjectNode) doc).put("schemaVersion", 2);
    assertThat(validate(doc)).isNotEmpty();
  }

  static List<String> validate(JsonNode doc) throws Exception {
    Path schemaFile = repoRoot().resolve("docs/report.schema.json");
    SchemaRegistry registry = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12);
    return registry.getSchema(new ObjectMapper().readTree(Files.readString(schemaFile)))
        .validate(doc).stream().map(Error::toString).toList();
  }

  static Path repoRoot() {
    String root = System.getProperty("raftwatch.root");
    return root != null ? Path.of(root) : Path.of("").toAbsolutePath().getParent();
  }

  static Document parseXml(String html) throws Exception {
    DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
    f.setNamespaceAware(true);
    f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", false);
    f.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
    var builder = f.newDocumentBuilder();
    builder.setErrorHandler(null);
    return builder.parse(new ByteArrayInputStream(html.getBytes(StandardCharsets.UTF_8)));
  }

  static NodeList nodes(Document doc, String xpath) throws Exception {
    return (NodeList) XPathFactory.newInstance().newXPath().evaluate(xpath, doc, XPathConstants.NODESET);
  }

  static int count(Document doc, String xpath) throws Exception {
    return nodes(doc, xpath).getLength();
  }

  static String text(Document doc, String xpath) throws Exception {
    return XPathFactory.newInstance().newXPath().evaluate(xpath, doc).strip();
  }

  private static int cells(String row) {
    int n = 0;
    for (int i = 0; i < row.length(); i++) {
      if (row.charAt(i) == '|' && (i == 0 || row.charAt(i - 1) != '\\')) {
        n++;
      }
    }
    return n - 1;
  }
}
