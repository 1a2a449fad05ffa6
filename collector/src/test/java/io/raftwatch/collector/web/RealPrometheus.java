package io.raftwatch.collector.web;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * Debian's {@code prometheus} serving TSDB blocks that {@code promtool tsdb create-blocks-from
 * openmetrics} made from a file, on a free loopback port: the oracle the collector's Prometheus API
 * is compared with. Skips the test without prometheus/promtool on the PATH, fails it then when
 * CI=true. {@link #close()} stops the process; the directory is the test's {@code @TempDir}.
 */
final class RealPrometheus implements AutoCloseable {
  private final Process process;
  private final Path log;
  private final URI base;

  private RealPrometheus(Process process, Path log, URI base) {
    this.process = process;
    this.log = log;
    this.base = base;
  }

  /** Backfills {@code openMetrics} into {@code dir/tsdb} and starts Prometheus on it. */
  static RealPrometheus startWithBlocks(Path dir, String openMetrics) throws Exception {
    require("prometheus");
    require("promtool");
    Path input = dir.resolve("input.om.txt");
    Files.writeString(input, openMetrics);
    Path tsdb = Files.createDirectories(dir.resolve("tsdb"));
    Process promtool =
        new ProcessBuilder(
                "promtool", "tsdb", "create-blocks-from", "openmetrics", input.toString(),
                tsdb.toString())
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("promtool.log").toFile())
            .start();
    if (!promtool.waitFor(60, TimeUnit.SECONDS) || promtool.exitValue() != 0) {
      promtool.destroyForcibly();
      Assertions.fail("promtool backfill failed: " + Files.readString(dir.resolve("promtool.log")));
    }
    Path config = dir.resolve("prometheus.yml");
    Files.writeString(config, "global:\n  scrape_interval: 1m\n");
    int port = freePort();
    Path log = dir.resolve("prometheus.log");
    Process p =
        new ProcessBuilder(
                "prometheus",
                "--config.file=" + config,
                "--storage.tsdb.path=" + tsdb,
                "--storage.tsdb.retention.time=30d",
                "--web.listen-address=127.0.0.1:" + port)
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .start();
    RealPrometheus prometheus = new RealPrometheus(p, log, URI.create("http://127.0.0.1:" + port));
    try {
      prometheus.awaitReady();
    } catch (Exception | Error e) {
      prometheus.close();
      throw e;
    }
    return prometheus;
  }

  URI baseUri() {
    return base;
  }

  private void awaitReady() throws Exception {
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
    while (Instant.now().isBefore(deadline)) {
      try {
        HttpResponse<Void> r =
            http.send(
                HttpRequest.newBuilder(base.resolve("/-/ready")).build(),
                HttpResponse.BodyHandlers.discarding());
        if (r.statusCode() == 200) {
          return;
        }
      } catch (IOException notYet) {
        // Not listening yet.
      }
      if (process.waitFor(200, TimeUnit.MILLISECONDS)) {
        break;
      }
    }
    Assertions.fail("prometheus not ready: " + Files.readString(log));
  }

  @Override
  public void close() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(10, TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor();
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  /** Skips without {@code binary} on the PATH; fails when CI=true. */
  static void require(String binary) {
    boolean found =
        System.getenv("PATH") != null
            && List.of(System.getenv("PATH").split(":")).stream()
                .anyMatch(p -> Files.isExecutable(Path.of(p, binary)));
    if (!found) {
      String message = binary + " is not on the PATH; install Debian's prometheus package";
      if ("true".equals(System.getenv("CI"))) {
        Assertions.fail(message + " [CI=true: interop tests must run]");
      }
      Assumptions.abort(message);
    }
  }
}
