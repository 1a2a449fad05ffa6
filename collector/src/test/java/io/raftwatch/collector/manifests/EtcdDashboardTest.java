package io.raftwatch.collector.manifests;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * dashboards/etcd.json is exactly what templates/dashboards/etcd.json.ftl renders (run with
 * {@code -Drewrite=true} to regenerate it after changing the template), and it is a current
 * Grafana model: datasource, cluster and instance variables, a unit on every panel, every query
 * through the datasource variable and filtered by cluster.
 */
class EtcdDashboardTest {
  private static final Path COMMITTED = SeedConfig.repoRoot().resolve("dashboards").resolve(EtcdDashboard.FILE);

  @Test
  void committedDashboardIsWhatTheTemplateRenders() throws Exception {
    String rendered = EtcdDashboard.render(ManifestTemplates.bundled());
    if (Boolean.getBoolean("rewrite")) {
      Files.createDirectories(COMMITTED.getParent());
      Files.writeString(COMMITTED, rendered);
    }
    assertThat(Files.readString(COMMITTED))
        .as("dashboards/etcd.json differs from templates/dashboards/etcd.json.ftl; "
            + "rerun with -Drewrite=true and commit the file")
        .isEqualTo(rendered);
  }

  @Test
  void dashboardHasSeparateDatasourceClusterAndInstanceVariables() throws Exception {
    JsonNode dashboard = parse();
    assertThat(dashboard.get("schemaVersion").asInt()).isGreaterThanOrEqualTo(39);
    List<String> names = new ArrayList<>();
    dashboard.at("/templating/list").forEach(v -> names.add(v.get("name").asText()));
    assertThat(names).containsExactly("datasource", "cluster", "instance");
    JsonNode cluster = dashboard.at("/templating/list/1");
    assertThat(cluster.at("/query/query").asText())
        .isEqualTo("label_values(etcd_server_has_leader, cluster)");
    assertThat(dashboard.at("/templating/list/0/type").asText()).isEqualTo("datasource");
  }

  @Test
  void everyPanelHasAUnitAndQueriesTheSelectedClusterThroughTheDatasourceVariable() throws Exception {
    JsonNode panels = parse().get("panels");
    assertThat(panels.size()).isGreaterThanOrEqualTo(20);
    List<String> ids = new ArrayList<>();
    for (JsonNode panel : panels) {
      String title = panel.get("title").asText();
      ids.add(panel.get("id").asText());
      assertThat(panel.at("/fieldConfig/defaults/unit").asText()).as(title).isNotEmpty();
      assertThat(panel.at("/datasource/uid").asText()).as(title).isEqualTo("${datasource}");
      assertThat(panel.get("targets").size()).as(title).isPositive();
      for (JsonNode target : panel.get("targets")) {
        assertThat(target.at("/datasource/uid").asText()).as(title).isEqualTo("${datasource}");
        assertThat(target.get("expr").asText()).as(title).contains("cluster=\"$cluster\"");
      }
      JsonNode grid = panel.get("gridPos");
      assertThat(grid.get("x").asInt() + grid.get("w").asInt()).as(title).isLessThanOrEqualTo(24);
    }
    assertThat(ids).doesNotHaveDuplicates();
  }

  @Test
  void dashboardCoversThePanelsOfGrafana3070AndTheEtcdMixin() throws Exception {
    List<String> titles = new ArrayList<>();
    parse().get("panels").forEach(p -> titles.add(p.get("title").asText()));
    assertThat(titles).contains("Members up", "Has leader", "Leader changes", "RPC rate",
        "Failed RPCs", "Active watch and lease streams", "DB size", "Quota use", "WAL fsync p99",
        "Backend commit p99", "Raft proposals", "Pending proposals", "Client traffic in",
        "Client traffic out", "Peer traffic in", "Peer traffic out", "Peer round-trip time p99",
        "Memory", "Open file descriptors", "Firing raftwatch alerts");
  }

  private static JsonNode parse() throws Exception {
    return new ObjectMapper().readTree(EtcdDashboard.render(ManifestTemplates.bundled()));
  }
}
