package io.raftwatch.collector.manifests;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The seed's config renders exactly the committed files in
 * collector/src/test/resources/manifests/seed/golden. After a deliberate template change, run with
 * {@code -Drewrite=true} to regenerate them, and review the diff.
 */
class ManifestGoldenTest {
  private static final Path GOLDEN = SeedConfig.seedDir().resolve("golden");

  @Test
  void seedConfigRendersTheCommittedGoldenFiles() throws Exception {
    ManifestSet set = ManifestSet.render(SeedConfig.load(), ManifestTemplates.bundled());
    if (Boolean.getBoolean("rewrite")) {
      if (Files.isDirectory(GOLDEN)) {
        try (Stream<Path> old = Files.list(GOLDEN)) {
          for (Path p : old.toList()) {
            Files.delete(p);
          }
        }
      }
      set.writeTo(GOLDEN);
    }
    List<String> committed;
    try (Stream<Path> files = Files.list(GOLDEN)) {
      committed = files.map(p -> p.getFileName().toString()).sorted().toList();
    }
    assertThat(set.files().stream().map(RenderedFile::name).sorted().toList())
        .as("rendered file names (rerun with -Drewrite=true after a deliberate change)")
        .isEqualTo(committed);
    for (RenderedFile f : set.files()) {
      assertThat(f.content()).as(f.name() + " (rerun with -Drewrite=true after a deliberate change)")
          .isEqualTo(Files.readString(GOLDEN.resolve(f.name())));
    }
  }

  @Test
  void seedRendersEveryObjectKindOnceAndListsThemInTheKustomization() throws Exception {
    ManifestSet set = ManifestSet.render(SeedConfig.load(), ManifestTemplates.bundled());
    assertThat(set.files()).extracting(RenderedFile::name).containsExactly(
        "etcd-metrics-secret.yaml", "etcd-metrics-service.yaml", "etcd-metrics-ipv4.yaml",
        "etcd-metrics-endpoints.yaml", "etcd-metrics-servicemonitor.yaml",
        "etcd-metrics-seed-rules.yaml", "raftwatch-etcd-dashboard.yaml", "etcd.json",
        "kustomization.yaml");
    assertThat(set.file("kustomization.yaml").content()).contains(
        "  - etcd-metrics-secret.yaml\n", "  - etcd-metrics-ipv4.yaml\n",
        "  - raftwatch-etcd-dashboard.yaml\n").doesNotContain("etcd.json");
  }
}
