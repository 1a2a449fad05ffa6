package io.raftwatch.collector.notify;

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
 * A real Alertmanager (Debian's prometheus-alertmanager) on a free loopback port, gossip off,
 * its storage and log in the test's directory. Use it in try-with-resources: {@link #close()}
 * kills the process even when the test failed, and a shutdown hook does so if the JVM exits
 * first. Driven by one test thread.
 */
final class AlertmanagerProcess implements AutoCloseable {
  static final Path BINARY = Path.of("/usr/bin/prometheus-alertmanager");

  private final Path dir;
  private final int port;
  private final Process process;
  private final Thread shutdownHook;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  private AlertmanagerProcess(Path dir, int port, Process process) {
    this.dir = dir;
    this.port = port;
    this.process = process;
    this.shutdownHook = new Thread(process::destroyForcibly, "alertmanager-cleanup");
    Runtime.getRuntime().addShutdownHook(shutdownHook);
  }

  /** Skips the test without the binary; fails it when CI=true. */
  static void requireBinary() {
    if (!Files.isExecutable(BINARY)) {
      String message = BINARY + " is missing; install Debian's prometheus-alertmanager"
          + " (.ci/install-deps)";
      if ("true".equals(System.getenv("CI"))) {
        Assertions.fail(message + " [CI=true: interop tests must run]");
      }
      Assumptions.abort(message);
    }
  }

  /** Starts it with {@code config} (alertmanager.yml text) and waits until {@code /-/ready}. */
  static AlertmanagerProcess start(Path dir, String config) throws IOException, InterruptedException {
    requireBinary();
    Files.createDirectories(dir);
    Path configFile = Files.writeString(dir.resolve("alertmanager.yml"), config);
    int port = freePort();
    Process p = new ProcessBuilder(BINARY.toString(),
        "--config.file=" + configFile,
        "--storage.path=" + dir.resolve("data"),
        "--web.listen-address=127.0.0.1:" + port,
        "--web.external-url=http://127.0.0.1:" + port,
        "--cluster.listen-address=",
        "--log.level=debug")
        .redirectErrorStream(true)
        .redirectOutput(dir.resolve("alertmanager.log").toFile())
        .start();
    AlertmanagerProcess am = new AlertmanagerProcess(dir, port, p);
    try {
      am.awaitReady();
      return am;
    } catch (IOException | InterruptedException | RuntimeException | Error e) {
      am.close();
      throw e;
    }
  }

  URI url() {
    return URI.create("http://127.0.0.1:" + port);
  }

  /** GET on the Alertmanager's API; the body. */
  String get(String path) throws IOException, InterruptedException {
    HttpResponse<String> r = http.send(HttpRequest.newBuilder(url().resolve(path))
        .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() != 200) {
      throw new IOException("GET " + path + ": " + r.statusCode() + " " + r.body());
    }
    return r.body();
  }

  /** The last lines of the log, for failure messages. */
  String logTail() {
    try {
      List<String> lines = Files.readAllLines(dir.resolve("alertmanager.log"));
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
    } catch (IOException e) {
      return "(no log: " + e.getMessage() + ")";
    }
  }

  @Override
  public void close() {
    process.destroyForcibly();
    try {
      process.waitFor(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    try {
      Runtime.getRuntime().removeShutdownHook(shutdownHook);
    } catch (IllegalStateException e) {
      // The JVM is already shutting down and runs the hook itself.
    }
  }

  private void awaitReady() throws IOException, InterruptedException {
    Instant deadline = Instant.now().plusSeconds(20);
    while (Instant.now().isBefore(deadline)) {
      if (!process.isAlive()) {
        throw new IOException("alertmanager exited with " + process.exitValue() + ":\n" + logTail());
      }
      try {
        HttpResponse<Void> r = http.send(HttpRequest.newBuilder(url().resolve("/-/ready"))
            .timeout(Duration.ofSeconds(1)).build(), HttpResponse.BodyHandlers.discarding());
        if (r.statusCode() == 200) {
          return;
        }
      } catch (IOException e) {
        // not listening yet
      }
      Thread.sleep(100);
    }
    throw new IOException("alertmanager not ready within 20s:\n" + logTail());
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      return s.getLocalPort();
    }
  }
}
