package io.raftwatch.raftkv.process;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * A real single-member etcd (Debian's /usr/bin/etcd) on loopback over plain HTTP, the oracle of the
 * interop tests: ports are picked when it is made, so a data dir can be prepared for it first
 * ({@code etcdctl snapshot restore} with {@link #name()}, {@link #peerUrl()}); {@link #start}
 * starts it on a data dir and waits until it is healthy; {@link #close} stops it.
 */
public final class LoopbackEtcd implements AutoCloseable {
  private final String name;
  private final String endpoint;
  private final String peerUrl;
  private Process process;

  public LoopbackEtcd(String name) throws IOException {
    this.name = name;
    this.endpoint = "http://127.0.0.1:" + freePort();
    this.peerUrl = "http://127.0.0.1:" + freePort();
  }

  /**
   * Skips the calling test when etcd or etcdctl is not on the PATH, or fails it when CI=true (CI
   * installs Debian's etcd-server and etcd-client).
   */
  public static void requireInstalled() {
    String path = System.getenv("PATH");
    for (String binary : List.of("etcd", "etcdctl")) {
      boolean found = path != null && List.of(path.split(":")).stream()
          .anyMatch(dir -> Files.isExecutable(Path.of(dir, binary)));
      if (!found) {
        String message = binary + " is not on the PATH; install Debian's etcd-server and etcd-client";
        if ("true".equals(System.getenv("CI"))) {
          Assertions.fail(message + " [CI=true: interop tests must run]");
        }
        Assumptions.abort(message);
      }
    }
  }

  public String name() {
    return name;
  }

  /** The client URL. */
  public String endpoint() {
    return endpoint;
  }

  public String peerUrl() {
    return peerUrl;
  }

  /**
   * The flags it runs with on {@code dataDir}: etcd's for a single member on its loopback URLs,
   * then {@code extra}.
   */
  public List<String> flags(Path dataDir, String... extra) {
    List<String> flags = new ArrayList<>(List.of("--name", name, "--data-dir", dataDir.toString(),
        "--listen-client-urls", endpoint, "--advertise-client-urls", endpoint,
        "--listen-peer-urls", peerUrl, "--initial-advertise-peer-urls", peerUrl,
        "--initial-cluster", name + "=" + peerUrl));
    flags.addAll(List.of(extra));
    return flags;
  }

  /**
   * Starts etcd on {@code dataDir} with {@link #flags} (its log next to the dir) and waits until it
   * answers as healthy.
   */
  public LoopbackEtcd start(Path dataDir, String... extraFlags)
      throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>(List.of("etcd"));
    cmd.addAll(flags(dataDir, extraFlags));
    process = new ProcessBuilder(cmd)
        .redirectErrorStream(true)
        .redirectOutput(dataDir.resolveSibling(dataDir.getFileName() + ".log").toFile())
        .start();
    Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
    while (Instant.now().isBefore(deadline)) {
      if (!process.isAlive()) {
        throw new AssertionError("etcd exited with " + process.exitValue() + "; see its log next to "
            + dataDir);
      }
      try {
        etcdctl("endpoint", "health");
        return this;
      } catch (AssertionError notYet) {
        Thread.sleep(100);
      }
    }
    throw new AssertionError("etcd at " + endpoint + " not healthy within 30 s");
  }

  /** Runs etcdctl against this etcd; its output, or an AssertionError when it fails. */
  public String etcdctl(String... args) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>(List.of("etcdctl", "--endpoints=" + endpoint));
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
    pb.environment().put("ETCDCTL_API", "3");
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), UTF_8);
    if (!p.waitFor(20, TimeUnit.SECONDS) || p.exitValue() != 0) {
      p.destroyForcibly();
      throw new AssertionError("etcdctl " + String.join(" ", args) + " failed: " + out);
    }
    return out;
  }

  @Override
  public void close() throws InterruptedException {
    if (process != null) {
      process.destroy();
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor();
      }
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }
}
