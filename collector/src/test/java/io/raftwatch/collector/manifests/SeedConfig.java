package io.raftwatch.collector.manifests;

import io.raftwatch.collector.config.ConfigException;
import io.raftwatch.collector.config.ConfigLoader;
import io.raftwatch.collector.config.RaftwatchConfig;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The seed's cluster description (three members 11.0.64.5-7, kube-system, certificates from
 * placeholder PEM files) in collector/src/test/resources/manifests/seed, and the repository paths
 * the manifest tests compare against. Shared by the tests of this package.
 */
final class SeedConfig {
  private SeedConfig() {}

  /** The repository's root: surefire's raftwatch.root, else the module directory's parent. */
  static Path repoRoot() {
    String root = System.getProperty("raftwatch.root");
    Path path = root != null ? Path.of(root) : Path.of("").toAbsolutePath().getParent();
    if (!Files.isDirectory(path.resolve("templates"))) {
      throw new IllegalStateException("no templates/ under " + path);
    }
    return path;
  }

  /** ../shared: surefire's raftwatch.shared, else relative to the module directory. */
  static Path shared() {
    String shared = System.getProperty("raftwatch.shared");
    return shared != null ? Path.of(shared) : Path.of("..", "..", "shared");
  }

  static Path seedDir() {
    return repoRoot().resolve("collector/src/test/resources/manifests/seed");
  }

  /** The seed config, named {@code raftwatch.yaml} in messages so golden files do not hold paths. */
  static RaftwatchConfig load() throws ConfigException {
    return named(new ConfigLoader().load(seedDir().resolve("raftwatch.yaml")));
  }

  /** Loads {@code text} as a raftwatch.yaml in {@code dir} (relative paths resolve there). */
  static RaftwatchConfig load(Path dir, String text) throws Exception {
    Path file = dir.resolve("raftwatch.yaml");
    Files.writeString(file, text);
    return named(new ConfigLoader().load(file));
  }

  private static RaftwatchConfig named(RaftwatchConfig config) {
    return new RaftwatchConfig("raftwatch.yaml", config.clusters());
  }
}
