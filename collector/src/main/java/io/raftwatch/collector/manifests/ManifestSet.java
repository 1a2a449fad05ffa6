package io.raftwatch.collector.manifests;

import io.raftwatch.collector.config.ClusterConfig;
import io.raftwatch.collector.config.ConfigException;
import io.raftwatch.collector.config.ConfigProblem;
import io.raftwatch.collector.config.RaftwatchConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Everything {@code raftwatch manifests} outputs for a config, rendered in memory: each cluster's
 * objects, the dashboard (once, as a ConfigMap in the first cluster's namespace and as plain
 * JSON) and kustomization.yaml. Called by the CLI and tests on their thread.
 *
 * @param files in the order kustomization.yaml lists them
 */
public record ManifestSet(List<RenderedFile> files) {
  /** The dashboard ConfigMap's name. */
  public static final String DASHBOARD_CONFIGMAP = "raftwatch-etcd-dashboard";

  public ManifestSet {
    files = List.copyOf(files);
  }

  /**
   * Renders every file.
   *
   * @throws ConfigException naming every unreadable certificate or rule file and every member
   *     that cannot be listed; then nothing has been written anywhere
   */
  public static ManifestSet render(RaftwatchConfig config, ManifestTemplates templates)
      throws ConfigException {
    List<ConfigProblem> problems = new ArrayList<>();
    List<RenderedFile> files = new ArrayList<>();
    Map<String, String> dashboardLabels = new TreeMap<>();
    for (ClusterConfig cluster : config.clusters()) {
      ClusterManifests manifests = new ClusterManifests(cluster, config.source(), templates, problems);
      files.addAll(manifests.render());
      if (cluster == config.clusters().get(0)) {
        dashboardLabels.putAll(manifests.labels());
        dashboardLabels.putAll(cluster.kubernetes().dashboardLabels());
      }
    }
    Set<String> names = new HashSet<>();
    for (RenderedFile f : files) {
      if (!names.add(f.name())) {
        problems.add(new ConfigProblem(config.source(), 0, "kubernetes.serviceName",
            "two clusters would both write " + f.name() + "; give them different serviceName"));
      }
    }
    if (!problems.isEmpty()) {
      throw new ConfigException(problems);
    }
    String dashboard = EtcdDashboard.render(templates);
    Map<String, Object> model = new LinkedHashMap<>();
    model.put("namespace", config.clusters().get(0).kubernetes().namespace());
    model.put("dashboard", Map.of("name", DASHBOARD_CONFIGMAP, "file", EtcdDashboard.FILE,
        "labels", dashboardLabels, "lines", dashboard.stripTrailing().lines().toList()));
    files.add(new RenderedFile(DASHBOARD_CONFIGMAP + ".yaml",
        templates.render("manifests/dashboard-configmap.yaml.ftl", model), RenderedFile.Kind.OBJECT));
    files.add(new RenderedFile(EtcdDashboard.FILE, dashboard, RenderedFile.Kind.EXTRA));
    List<String> resources = files.stream().filter(f -> f.kind() == RenderedFile.Kind.OBJECT)
        .map(RenderedFile::name).toList();
    files.add(new RenderedFile("kustomization.yaml", templates.render(
        "manifests/kustomization.yaml.ftl", Map.of("source", config.source(), "resources", resources)),
        RenderedFile.Kind.KUSTOMIZATION));
    return new ManifestSet(files);
  }

  /** The file of that name. */
  public RenderedFile file(String name) {
    return files.stream().filter(f -> f.name().equals(name)).findFirst()
        .orElseThrow(() -> new IllegalArgumentException("no rendered file " + name));
  }

  /** Every Kubernetes object as one multi-document YAML stream, for {@code --stdout}. */
  public String stream(ManifestTemplates templates) {
    List<String> documents = files.stream().filter(f -> f.kind() == RenderedFile.Kind.OBJECT)
        .map(RenderedFile::content).toList();
    return templates.render("manifests/stream.yaml.ftl", Map.of("documents", documents));
  }

  /**
   * Writes every file into {@code dir}, creating it. A Secret's file is made readable by its
   * owner only, where the file system allows.
   */
  public void writeTo(Path dir) throws IOException {
    Files.createDirectories(dir);
    for (RenderedFile f : files) {
      Path target = dir.resolve(f.name());
      // The key is never readable by others, not even between create and chmod.
      if (f.name().endsWith("-secret.yaml")
          && Files.getFileStore(dir).supportsFileAttributeView("posix")) {
        Files.deleteIfExists(target);
        Files.createFile(target, PosixFilePermissions.asFileAttribute(
            PosixFilePermissions.fromString("rw-------")));
      }
      Files.writeString(target, f.content());
    }
  }
}
