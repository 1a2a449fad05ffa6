package io.raftwatch.raftkv.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.etcd.jetcd.Client;
import io.grpc.ManagedChannel;
import io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.NettyChannelBuilder;
import io.netty.handler.ssl.SslContext;
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
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import javax.net.ssl.SSLException;

/**
 * A raftkv cluster of separate processes started with etcd's flags, every client, peer and metrics
 * connection over mutual TLS with certificates from a throwaway {@link OpensslPki}, each member on
 * ephemeral loopback ports with its data dir and log (at info, shown when a wait fails) under the
 * test's temp dir. Members are
 * numbered from 0 and named {@code m<i>}; more can be added and started with {@code
 * --initial-cluster-state existing}. Drives them with the real etcdctl and curl. Used by the
 * process tests' JUnit thread; {@link #close} kills every process.
 */
final class RaftkvProcesses implements AutoCloseable {
  /**
   * How long a condition may take on a loaded machine (a JVM start alone took 40 s on a shared
   * 2-core host at load 30); the founders' first start gets twice as long.
   */
  static final Duration DEADLINE = Duration.ofSeconds(60);
  /** The JVM flags bin/raftkv gives a member by default. */
  private static final Path JVM_OPTIONS = Path.of("jvm.options");

  private final Path dir;
  private final int electionMillis;
  private final OpensslPki pki;
  private final Path[] client;
  private final List<Process> processes = new ArrayList<>();
  private final List<int[]> ports = new ArrayList<>(); // client, peer, metrics
  private final List<List<String>> args = new ArrayList<>();
  private final List<String> extraFlags;

  private RaftkvProcesses(Path dir, int electionMillis, List<String> extraFlags) throws Exception {
    this.dir = dir;
    this.electionMillis = electionMillis;
    this.extraFlags = List.copyOf(extraFlags);
    this.pki = OpensslPki.create(dir.resolve("pki"), "ca");
    this.client = pki.issue("client");
  }

  /**
   * Starts {@code size} founding members, each with {@code extraFlags} too (so do members added
   * later), and waits until one leads and every one knows it. Skips the test when etcdctl or curl
   * is missing, fails it then when CI=true.
   */
  static RaftkvProcesses start(Path dir, int size, int electionMillis, String... extraFlags)
      throws Exception {
    requireTool("etcdctl");
    requireTool("curl");
    RaftkvProcesses c = new RaftkvProcesses(dir, electionMillis, List.of(extraFlags));
    for (int i = 0; i < size; i++) {
      c.allocate();
    }
    String cluster = c.initialCluster(size);
    try {
      for (int i = 0; i < size; i++) {
        c.args.add(c.flags(i, cluster, "new"));
        c.start(i);
      }
      c.await("a leader among the founders", DEADLINE.multipliedBy(2), () -> c.leader(-1) >= 0);
      c.await("every member knows the leader", () -> IntStream.range(0, size)
          .allMatch(i -> c.metrics(i).contains("etcd_server_has_leader 1.0")));
    } catch (Exception | AssertionError e) {
      c.close(); // the caller never gets the cluster, so its @AfterEach cannot stop the members
      throw e;
    }
    return c;
  }

  /** Ports and a certificate for member {@code m<size>}, not started; returns its number. */
  int addMember() throws Exception {
    return allocate();
  }

  /**
   * Starts member i, added with MemberAdd, with {@code --initial-cluster-state existing} and an
   * initial cluster of members 0..i.
   */
  void startJoining(int i) throws IOException {
    args.add(flags(i, initialCluster(i + 1), "existing"));
    start(i);
  }

  private int allocate() throws Exception {
    int i = ports.size();
    ports.add(new int[] {freePort(), freePort(), freePort()});
    pki.issue("m" + i);
    processes.add(dead());
    return i;
  }

  private String initialCluster(int members) {
    return IntStream.range(0, members).mapToObj(i -> "m" + i + "=" + peerUrl(i))
        .collect(Collectors.joining(","));
  }

  private List<String> flags(int i, String cluster, String state) {
    Path cert = dir.resolve("pki").resolve("m" + i + ".crt");
    Path key = dir.resolve("pki").resolve("m" + i + ".key");
    List<String> flags = new ArrayList<>(List.of("--name=m" + i, "--data-dir=" + dir.resolve("m" + i),
        "--listen-client-urls=" + clientUrl(i), "--advertise-client-urls=" + clientUrl(i),
        "--listen-peer-urls=" + peerUrl(i), "--initial-advertise-peer-urls=" + peerUrl(i),
        "--initial-cluster=" + cluster, "--initial-cluster-state=" + state,
        "--listen-metrics-urls=https://127.0.0.1:" + ports.get(i)[2],
        "--cert-file=" + cert, "--key-file=" + key,
        "--trusted-ca-file=" + pki.caCert(), "--client-cert-auth",
        "--peer-cert-file=" + cert, "--peer-key-file=" + key,
        "--peer-trusted-ca-file=" + pki.caCert(), "--peer-client-cert-auth",
        "--election-timeout=" + electionMillis, "--log-level=info"));
    flags.addAll(extraFlags);
    return flags;
  }

  /** (Re)starts member i with the flags it was first started with, on its data dir. */
  void start(int i) throws IOException {
    List<String> cmd = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        // bin/raftkv's default JVM flags (tests run in the module's directory), so the tests run
        // members as users do.
        "@" + JVM_OPTIONS.toAbsolutePath(),
        "--add-opens", "java.base/java.nio=ALL-UNNAMED",
        "--add-opens", "java.base/sun.nio.ch=ALL-UNNAMED",
        "-cp", System.getProperty("java.class.path"), "io.raftwatch.raftkv.RaftkvCommand"));
    cmd.addAll(args.get(i));
    processes.set(i, new ProcessBuilder(cmd).redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(log(i).toFile())).start());
  }

  /**
   * A jetcd client, unchanged, over mutual TLS with the client certificate, balancing over the
   * given members' client URLs; the caller closes it.
   */
  Client jetcd(int... members) throws SSLException {
    return Client.builder()
        .endpoints(IntStream.of(members).mapToObj(this::clientUrl).toArray(String[]::new))
        .sslContext(clientTls())
        .build();
  }

  /**
   * A plain gRPC channel to member i's client URL over mutual TLS, for the etcd API calls jetcd
   * does not offer (Maintenance Hash); the caller shuts it down.
   */
  ManagedChannel grpc(int i) throws SSLException {
    return NettyChannelBuilder.forAddress("127.0.0.1", ports.get(i)[0]).sslContext(clientTls())
        .build();
  }

  private SslContext clientTls() throws SSLException {
    return GrpcSslContexts.forClient().trustManager(pki.caCert().toFile())
        .keyManager(client[0].toFile(), client[1].toFile()).build();
  }

  /**
   * SIGKILL, as a crash: nothing is flushed or closed. Returns {@link System#nanoTime()} just after
   * the signal was sent, then waits for the process to end.
   */
  long kill(int i) throws InterruptedException {
    Process p = processes.get(i).destroyForcibly();
    long signalled = System.nanoTime();
    p.waitFor();
    return signalled;
  }

  Process process(int i) {
    return processes.get(i);
  }

  int size() {
    return processes.size();
  }

  String clientUrl(int i) {
    return "https://127.0.0.1:" + ports.get(i)[0];
  }

  String peerUrl(int i) {
    return "https://127.0.0.1:" + ports.get(i)[1];
  }

  Path caCert() {
    return pki.caCert();
  }

  /** The client certificate and key every member trusts: {cert, key}. */
  Path[] clientCert() {
    return client.clone();
  }

  Path log(int i) {
    return dir.resolve("m" + i + ".log");
  }

  /** The running member other than {@code notThis} that reports itself leader, or -1. */
  int leader(int notThis) {
    for (int i = 0; i < size(); i++) {
      if (i != notThis && processes.get(i).isAlive()
          && metrics(i).contains("etcd_server_is_leader 1.0")) {
        return i;
      }
    }
    return -1;
  }

  /** Waits for a leader other than {@code notThis} and returns it. */
  int awaitLeader(int notThis) throws Exception {
    await("a leader other than m" + notThis, () -> leader(notThis) >= 0);
    return leader(notThis);
  }

  /** /metrics over https with the client certificate, or "" if the member does not answer. */
  String metrics(int i) {
    return curl("https://127.0.0.1:" + ports.get(i)[2] + "/metrics");
  }

  /**
   * curl (which offers h2 and http/1.1, as Prometheus does) with the client certificate: the body,
   * then a line with the status code; "" or an error if the member does not answer.
   */
  String curl(String url, String... options) {
    List<String> cmd = new ArrayList<>(List.of("curl", "-s", "--max-time", "2",
        "--cacert", pki.caCert().toString(), "--cert", client[0].toString(),
        "--key", client[1].toString()));
    cmd.addAll(List.of(options));
    cmd.add(url);
    return run(cmd);
  }

  /** etcdctl against member i; fails the test if its output says Error. */
  String etcdctl(int i, String... command) {
    String out = etcdctlQuiet(i, command);
    assertThat(out).as("etcdctl %s against m%d", String.join(" ", command), i)
        .doesNotContain("Error");
    return out;
  }

  /** etcdctl against member i with the client certificate: its output and errors. */
  String etcdctlQuiet(int i, String... command) {
    return etcdctlAt(clientUrl(i), command);
  }

  /** etcdctl against the comma-separated {@code endpoints}: its output and errors. */
  String etcdctlAt(String endpoints, String... command) {
    List<String> cmd = new ArrayList<>(List.of("etcdctl", "--endpoints=" + endpoints,
        "--cacert=" + pki.caCert(), "--cert=" + client[0], "--key=" + client[1],
        "--command-timeout=5s"));
    cmd.addAll(List.of(command));
    return run(cmd);
  }

  /** Runs a command with ETCDCTL_API=3; its output and errors, or "" if it could not run. */
  static String run(List<String> cmd) {
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

  void await(String what, BooleanSupplier condition) throws Exception {
    await(what, DEADLINE, condition);
  }

  /** Polls condition until it holds; fails with every member's log after the deadline. */
  void await(String what, Duration deadline, BooleanSupplier condition) throws Exception {
    long end = System.nanoTime() + deadline.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > end) {
        StringBuilder logs = new StringBuilder();
        for (int i = 0; i < size(); i++) {
          logs.append("--- m").append(i).append(":\n")
              .append(Files.exists(log(i)) ? Files.readString(log(i)) : "");
        }
        throw new AssertionError("no " + what + " within " + deadline + "\n" + logs);
      }
      Thread.sleep(100);
    }
  }

  @Override
  public void close() {
    processes.forEach(Process::destroyForcibly);
  }

  static void requireTool(String tool) {
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
