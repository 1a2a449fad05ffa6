package io.raftwatch.collector.manifests;

import java.util.Map;

/**
 * The raftwatch etcd dashboard for Grafana, rendered from {@code templates/dashboards/etcd.json.ftl}.
 * The same text is committed as {@code dashboards/etcd.json}; a test fails when the two differ.
 * Called by {@link ManifestSet} and tests, on their thread.
 */
public final class EtcdDashboard {
  /** The file name, in {@code dashboards/} and in the rendered output. */
  public static final String FILE = "etcd.json";

  private EtcdDashboard() {}

  /** The dashboard's JSON text. */
  public static String render(ManifestTemplates templates) {
    return templates.render("dashboards/etcd.json.ftl", Map.of());
  }
}
