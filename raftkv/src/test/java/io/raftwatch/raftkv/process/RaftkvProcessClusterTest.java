package io.raftwatch.raftkv.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.raftwatch.raftkv.config.OpensslPki;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three raftkv processes started with etcd's flags, every client, peer and metrics connection over
 * mutual TLS, driven by the real etcdctl and curl: a client without a certificate is refused, writes on one member are
 * read on another, the leader killed with SIGKILL is replaced within twice the election timeout
 * and, restarted on its data dir, catches up. End-to-end: waits for conditions with deadlines.
 */
class RaftkvProcessClusterTest {
  private static final Duration DEADLINE = Duration.ofSeconds(30);
  private static final int ELECTION_MILLIS = 1000;

  @TempDir Path dir;
  private final List<Process> processes = new ArrayList<>(List.of(dead(), dead(), dead()));
  private final int[][] ports = new int[3][3]; // client, peer, metrics
  private OpensslPki pki;
  private Path[] client;
  private final List<List<String>> args = new ArrayList<>();

  @AfterEach
  void killAll() {
    processes.forEach(Process::destroyForcibly);
  }

  @Test
  void clusterServesEtcdctlAndSurvivesLeaderKill() throws Exception {
    requireTool("etcdctl");
    requireTool("curl");
    pki = OpensslPki.create(dir.resolve("pki"), "ca");
    client = pki.issue("client");
    for (int i = 0; i < 3; i++) {
      for (int j = 0; j < 3; j++) {
        ports[i][j] = freePort();
      }
    }
    StringBuilder cluster = new StringBuilder();
    for (int i = 0; i < 3; i++) {
      cluster.append(i == 0 ? "" : ",").append("m").append(i).append("=https://127.0.0.1:").append(ports[i][1]);
    }
    for (int i = 0; i < 3; i++) {
      Path[] cert = pki.issue("m" + i);
      args.add(List.of("--name=m" + i, "--data-dir=" + dir.resolve("m" + i),
          "--listen-client-urls=https://127.0.0.1:" + ports[i][0],
          "--advertise-client-urls=https://127.0.0.1:" + ports[i][0],
          "--listen-peer-urls=https://127.0.0.1:" + ports[i][1],
          "--initial-advertise-peer-urls=https://127.0.0.1:" + ports[i][1],
          "--initial-cluster=" + cluster, "--initial-cluster-state=new",
          "--listen-metrics-urls=https://127.0.0.1:" + ports[i][2],
          "--cert-file=" + cert[0], "--key-file=" + cert[1],
          "--trusted-ca-file=" + pki.caCert(), "--client-cert-auth",
          "--peer-cert-file=" + cert[0], "--peer-key-file=" + cert[1],
          "--peer-trusted-ca-file=" + pki.caCert(), "--peer-client-cert-auth",
          "--election-timeout=" + ELECTION_MILLIS));
      start(i);
    }
    int leader = awaitLeader(-1);
    await("every member knows the leader", () -> metrics(0).contains("etcd_server_has_leader 1.0")
        && metrics(1).contains("etcd_server_has_leader 1.0") && metrics(2).contains("etcd_server_has_leader 1.0"));
    // Like any etcd client, retry a write that timed out: a proposal a follower forwards while
    // its first peer connection is still being set up can be dropped.
    await("a write through a follower", () ->
        etcdctlQuiet((leader + 1) % 3, "put", "greeting", "hello").contains("OK"));
    assertThat(etcdctl((leader + 2) % 3, "get", "greeting")).isEqualTo("greeting\nhello\n");
    assertThat(run(List.of("etcdctl", "--endpoints=https://127.0.0.1:" + ports[0][0],
        "--cacert=" + pki.caCert(), "--command-timeout=3s", "get", "greeting")))
        .as("a client without a certificate").contains("Error");
    String served = metrics((leader + 1) % 3);
    assertThat(served).containsPattern("grpc_server_handled_total\\{grpc_code=\"OK\",grpc_method="
        + "\"Put\",grpc_service=\"etcdserverpb.KV\",grpc_type=\"unary\",} [1-9]")
        .containsPattern("etcd_network_client_grpc_received_bytes_total [1-9]")
        .contains("grpc_code=\"Unavailable\",grpc_method=\"Txn\"");

    processes.get(leader).destroyForcibly().waitFor();
    long killedAt = System.nanoTime();
    int next = awaitLeader(leader);
    long electedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - killedAt);
    System.out.println("new leader m" + next + " " + electedMillis + " ms after the kill");
    await("a write to the new leader", () ->
        etcdctlQuiet(next, "put", "after-failover", "yes").contains("OK"));

    start(leader);
    await("the restarted member has the write made while it was down", () ->
        etcdctlQuiet(leader, "get", "after-failover", "--consistency=s").contains("yes"));
    assertThat(metrics(leader)).contains("etcd_server_has_leader 1.0");
  }

  private void start(int i) throws IOException {
    List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "--add-opens", "java.base/java.nio=ALL-UNNAMED", "--add-opens", "java.base/sun.nio.ch=ALL-UNNAMED",
        "-cp", System.getProperty("java.class.path"), "io.raftwatch.raftkv.RaftkvCommand"));
    cmd.addAll(args.get(i));
    processes.set(i, new ProcessBuilder(cmd).redirectErrorStream(true)
        .redirectOutput(dir.resolve("m" + i + ".log").toFile()).start());
  }

  private int awaitLeader(int notThis) throws Exception {
    int[] found = {-1};
    await("a leader other than " + notThis, () -> {
      for (int i = 0; i < 3; i++) {
        if (i != notThis && processes.get(i).isAlive() && metrics(i).contains("etcd_server_is_leader 1.0")) {
          found[0] = i;
          return true;
        }
      }
      return false;
    });
    return found[0];
  }

  /** /metrics over https with the client certificate, or "" if the member does not answer. */
  private String metrics(int i) {
    return run(List.of("curl", "-s", "--max-time", "2", "--cacert", pki.caCert().toString(),
        "--cert", client[0].toString(), "--key", client[1].toString(),
        "https://127.0.0.1:" + ports[i][2] + "/metrics"));
  }

  private String etcdctl(int i, String... command) {
    String out = etcdctlQuiet(i, command);
    assertThat(out).as("etcdctl %s against m%d", String.join(" ", command), i).doesNotContain("Error");
    return out;
  }

  private String etcdctlQuiet(int i, String... command) {
    List<String> cmd = new ArrayList<>(List.of("etcdctl", "--endpoints=https://127.0.0.1:" + ports[i][0],
        "--cacert=" + pki.caCert(), "--cert=" + client[0], "--key=" + client[1], "--command-timeout=5s"));
    cmd.addAll(List.of(command));
    return run(cmd);
  }

  private static String run(List<String> cmd) {
    try {
      ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
      pb.environment().put("ETCDCTL_API", "3");
      Process p = pb.start();
      byte[] out = p.getInputStream().readAllBytes();
      p.waitFor(20, TimeUnit.SECONDS);
      return new String(out, StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "";
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "";
    }
  }

  private void await(String what, BooleanSupplier condition) throws Exception {
    long end = System.nanoTime() + DEADLINE.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > end) {
        StringBuilder logs = new StringBuilder();
        for (int i = 0; i < 3; i++) {
          Path log = dir.resolve("m" + i + ".log");
          logs.append("--- m").append(i).append(":\n").append(Files.exists(log) ? Files.readString(log) : "");
        }
        throw new AssertionError("no " + what + " within " + DEADLINE + "\n" + logs);
      }
      Thread.sleep(100);
    }
  }

  private static void requireTool(String tool) {
    boolean present = run(List.of("sh", "-c", "command -v " + tool)).contains(tool);
    if (!present && "true".equals(System.getenv("CI"))) {
      throw new AssertionError(tool + " is not installed; CI installs it with .ci/install-deps");
    }
    assumeTrue(present, tool + " is not installed (Debian: etcd-client, curl); skipping");
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  /** A finished process, standing in for a member not started yet. */
  private static Process dead() {
    try {
      Process p = new ProcessBuilder("true").start();
      p.waitFor();
      return p;
    } catch (IOException | InterruptedException e) {
      throw new IllegalStateException(e);
    }
  }
}
