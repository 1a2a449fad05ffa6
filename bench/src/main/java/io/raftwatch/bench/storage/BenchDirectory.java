package io.raftwatch.bench.storage;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * A fresh directory for one trial's files, under {@code -Draftwatch.bench.dir} or the system temp
 * directory, so that the WAL and the raw-force baseline measure the same disk.
 */
final class BenchDirectory {
  private BenchDirectory() {}

  static Path create(String prefix) throws IOException {
    Path parent = Path.of(System.getProperty("raftwatch.bench.dir",
        System.getProperty("java.io.tmpdir")));
    return Files.createTempDirectory(Files.createDirectories(parent), prefix);
  }

  static void delete(Path dir) throws IOException {
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }
}
