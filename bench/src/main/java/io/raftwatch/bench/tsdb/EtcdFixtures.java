package io.raftwatch.bench.tsdb;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Finds the real etcd 3.4.23 scrapes the benchmarks replay: {@code -Draftwatch.shared=DIR}, else
 * {@code ../shared} next to the repository (bin/bench runs from the repository root).
 */
final class EtcdFixtures {
  private EtcdFixtures() {}

  static byte[] read(String name) {
    String shared = System.getProperty("raftwatch.shared", "../shared");
    Path file = Path.of(shared, "fixtures", "etcd-3.4.23", name + ".prom");
    try {
      return Files.readAllBytes(file);
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot read fixture " + file.toAbsolutePath() + " (set -Draftwatch.shared)", e);
    }
  }
}
