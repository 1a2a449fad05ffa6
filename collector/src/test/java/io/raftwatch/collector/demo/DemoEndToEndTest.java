package io.raftwatch.collector.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.raftwatch.collector.history.AlertEvent;
import io.raftwatch.collector.history.EventFilter;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The demo as a user runs it, in this JVM, against real raftkv processes started from the shaded
 * jar (the reactor builds raftkv before the collector's tests; surefire passes the jar's path):
 * three members over mutual TLS elect a leader, the manifests and certificates are written, chaos
 * kills the leader with SIGKILL, another member is elected, the killed one comes back on its data
 * dir, and closing the demo ends every process and keeps the directory. End-to-end: waits for
 * conditions with deadlines.
 */
class DemoEndToEndTest {
  private static final Duration DEADLINE = Duration.ofSeconds(120);
  private static final Pattern KILLED = Pattern.compile("chaos: killed the leader (m\\d) \\(pid (\\d+)\\)");

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final OkHttpClient HTTP = new OkHttpClient();

  @TempDir Path tmp;
  private final List<String> progress = new CopyOnWriteArrayList<>();
  private Demo demo;

  @AfterEach
  void stop() throws InterruptedException {
    if (demo != null) {
      demo.close();
    }
  }

  @Test
  void startsTheClusterSurvivesChaosAndStopsEveryProcess() throws Exception {
    Path dir = tmp.resolve("demo");
    demo = Demo.start(options(dir, Optional.of(Duration.ofSeconds(4)), 5, List.of()), Clock.systemUTC(), progress::add);

    assertThat(progress).anyMatch(l -> l.startsWith("new demo in " + dir))
        .anyMatch(l -> l.matches("m\\d is the leader, elected .* after the start"));
    assertThat(demo.cluster().members()).hasSize(3).allMatch(MemberProcess::isAlive);
    for (Path key : List.of(dir.resolve("pki/m1.key"), dir.resolve("pki/m2.key"), dir.resolve("pki/m3.key"),
        dir.resolve("pki/client.key"))) {
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(key))).as("mode of %s", key)
          .isEqualTo("rw-------");
    }
    assertThat(dir.resolve("manifests/kustomization.yaml")).exists();
    assertThat(demo.manifests()).hasSizeGreaterThan(5).allMatch(Files::isRegularFile);
    assertThat(Files.readString(dir.resolve("raftwatch.yaml"))).contains("name: demo");
    // The page is served, and its JSON API shows what the collector sees: 3 members up, a leader.
    assertThat(get(demo.pageUrl() + "/")).contains("<html");
    await("the page's JSON API to show 3 members up and one leader", () -> {
      JsonNode cluster = clusterOnPage();
      return cluster != null && cluster.path("members").size() == 3 && cluster.path("leader").isTextual()
          && all(cluster.path("members"), m -> m.path("up").asBoolean());
    });

    // Chaos: the leader is killed with SIGKILL ...
    await("chaos to kill the leader", () -> progress.stream().anyMatch(l -> KILLED.matcher(l).find()));
    Matcher killed = progress.stream().map(KILLED::matcher).filter(Matcher::find).findFirst().orElseThrow();
    String victim = killed.group(1);
    long victimPid = Long.parseLong(killed.group(2));
    assertThat(ProcessHandle.of(victimPid).map(ProcessHandle::isAlive)).as("the killed leader's process")
        .isNotEqualTo(Optional.of(true));
    // ... another member is elected, as the page shows it ...
    await("a new leader other than " + victim + " on the page", () -> {
      JsonNode cluster = clusterOnPage();
      return cluster != null && cluster.path("leader").isTextual() && !cluster.path("leader").asText().equals(victim);
    });
    // ... and the killed member comes back on its data dir, in a new process ...
    await(victim + " back, following a leader",
        () -> progress.stream().anyMatch(l -> l.startsWith("chaos: " + victim + " is back")));
    MemberProcess restarted = demo.cluster().members().stream().filter(m -> m.name().equals(victim))
        .findFirst().orElseThrow();
    assertThat(restarted.pid()).isPresent().isNotEqualTo(Optional.of(victimPid));
    // ... and the alert on its failing scrapes went pending and resolved, in the collector's
    // history. (etcdMembersDown stays pending longer: peers' send failures keep its rate up.)
    await("etcdMemberScrapeFailing of " + victim + " pending and then resolved in the history", () -> {
      List<AlertEvent.Kind> kinds = demo.collector().history()
          .events(EventFilter.all().withCluster("demo").withAlertname("etcdMemberScrapeFailing")).stream()
          .filter(e -> victim.equals(e.labels().get("member"))).map(AlertEvent::kind).toList();
      return kinds.contains(AlertEvent.Kind.PENDING) && kinds.contains(AlertEvent.Kind.RESOLVED);
    });

    // The write load reached the cluster: etcdctl (when installed) reads a key it wrote.
    WriteLoad load = demo.load().orElseThrow();
    await("acknowledged writes", () -> load.succeeded() > 0);
    if (etcdctlInstalled()) {
      DemoPki pki = demo.pki();
      String endpoints = demo.directory().members().stream().map(m -> m.clientUrl().toString())
          .collect(java.util.stream.Collectors.joining(","));
      assertThat(run("etcdctl", "--endpoints=" + endpoints, "--cacert=" + pki.caCert(),
          "--cert=" + pki.client().cert(), "--key=" + pki.client().key(), "get", "demo/key-0"))
          .startsWith("demo/key-0\nwrite ");
    }

    List<Long> pids = new ArrayList<>();
    demo.cluster().members().forEach(m -> m.pid().ifPresent(pids::add));
    assertThat(pids).hasSize(3);
    demo.close();
    demo = null;

    assertThat(pids).allSatisfy(pid -> assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive))
        .as("process %d after the demo stopped", pid).isNotEqualTo(Optional.of(true)));
    assertThat(progress).filteredOn(l -> l.startsWith("stopped m")).hasSize(3);
    for (String m : List.of("m1", "m2", "m3")) {
      assertThat(dir.resolve(m + ".etcd")).isDirectory();
      assertThat(dir.resolve("logs/" + m + ".log")).isNotEmptyFile();
    }
    assertThat(dir.resolve("raftwatch.yaml")).exists();
    assertThat(dir.resolve("pki/ca.crt")).exists();
  }

  @Test
  void aSecondRunResumesTheClusterOnItsDataAndPorts() throws Exception {
    Path dir = tmp.resolve("demo");
    demo = Demo.start(options(dir, Optional.empty(), 5, List.of()), Clock.systemUTC(),
        progress::add);
    List<MemberPorts> ports = demo.directory().members();
    WriteLoad load = demo.load().orElseThrow();
    await("acknowledged writes", () -> load.succeeded() > 0);
    demo.close();
    progress.clear();

    demo = Demo.start(options(dir, Optional.empty(), 0, List.of()), Clock.systemUTC(),
        progress::add);

    assertThat(progress.get(0)).startsWith("resuming the demo in " + dir + ": its members' data, logs and ports "
        + "are reused");
    assertThat(progress).contains("reused the certificates in " + dir.resolve("pki") + " (keys 0600)");
    assertThat(demo.directory().members()).isEqualTo(ports);
    if (etcdctlInstalled()) {
      DemoPki pki = demo.pki();
      assertThat(run("etcdctl", "--endpoints=" + ports.get(0).clientUrl(), "--cacert=" + pki.caCert(),
          "--cert=" + pki.client().cert(), "--key=" + pki.client().key(), "get", "demo/key-0"))
          .as("a key the first run wrote").startsWith("demo/key-0\nwrite ");
    }
  }

  @Test
  void aMemberThatRefusesAFlagStopsTheDemoWithWhatItSaid() throws Exception {
    Path dir = tmp.resolve("demo");

    DemoException e = org.junit.jupiter.api.Assertions.assertThrows(DemoException.class,
        () -> Demo.start(options(dir, Optional.empty(), 0, List.of("--no-such-flag=1")), Clock.systemUTC(),
            progress::add));

    assertThat(e.getMessage()).containsPattern("m\\d exited with status 2: flag provided but not defined: "
        + "-no-such-flag").contains("the end of its log, " + dir.resolve("logs"));
    assertThat(ProcessHandle.current().descendants().filter(p -> p.info().command().orElse("").contains("java")))
        .as("no member left running").isEmpty();
  }

  private static DemoOptions options(Path dir, Optional<Duration> chaosEvery, int load, List<String> raftkvFlags) {
    return new DemoOptions(dir, new InetSocketAddress("127.0.0.1", 0), Duration.ofSeconds(1), chaosEvery,
        Duration.ofSeconds(3), load, raftkvJar(), raftkvFlags, DEADLINE);
  }

  private static Path raftkvJar() {
    String jar = System.getProperty(RaftkvLauncher.JAR_PROPERTY);
    boolean present = jar != null && Files.isRegularFile(Path.of(jar));
    if (!present && "true".equals(System.getenv("CI"))) {
      throw new AssertionError("the raftkv jar " + jar + " is missing; `mvn verify` builds it before this test");
    }
    assumeTrue(present, "the raftkv jar " + jar + " is missing (build it: mvn -pl raftkv -am package "
        + "-DskipTests); skipping");
    return Path.of(jar);
  }

  /** The demo cluster as the page's JSON API shows it, or null while the page does not answer. */
  private JsonNode clusterOnPage() {
    try {
      JsonNode root = JSON.readTree(get(demo.pageUrl() + "/api/clusters"));
      for (JsonNode c : root.path("data").path("clusters")) {
        if (c.path("name").asText().equals("demo")) {
          return c;
        }
      }
      return null;
    } catch (IOException e) {
      return null;
    }
  }

  private static boolean all(JsonNode array, java.util.function.Predicate<JsonNode> p) {
    for (JsonNode n : array) {
      if (!p.test(n)) {
        return false;
      }
    }
    return true;
  }

  private static String get(String url) throws IOException {
    try (Response r = HTTP.newCall(new Request.Builder().url(url).build()).execute()) {
      if (r.code() != 200) {
        throw new IOException(url + ": HTTP " + r.code());
      }
      return r.body().string();
    }
  }

  private static boolean etcdctlInstalled() throws IOException, InterruptedException {
    boolean present = run("sh", "-c", "command -v etcdctl").contains("etcdctl");
    if (!present && "true".equals(System.getenv("CI"))) {
      throw new AssertionError("etcdctl is not installed; CI installs it with .ci/install-deps");
    }
    if (!present) {
      System.out.println("etcdctl is not installed (Debian: etcd-client): not reading back the load's writes");
    }
    return present;
  }

  private static String run(String... command) throws IOException, InterruptedException {
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
    pb.environment().put("ETCDCTL_API", "3");
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    p.waitFor(30, java.util.concurrent.TimeUnit.SECONDS);
    return out;
  }

  private void await(String what, BooleanSupplier condition) throws InterruptedException, IOException {
    long end = System.nanoTime() + DEADLINE.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > end) {
        StringBuilder logs = new StringBuilder();
        for (MemberProcess m : demo.cluster().members()) {
          logs.append("\n--- ").append(m.name()).append(":\n").append(String.join("\n", m.logTail(30)));
        }
        String collector = demo.collector() == null ? "" : "\ncollector: " + demo.collector().cluster("demo")
            .map(w -> w.state().toString()).orElse("") + "\nhistory: " + demo.collector().history()
            .events(EventFilter.all().withLimit(50));
        throw new AssertionError("no " + what + " within " + DEADLINE + "; progress:\n"
            + String.join("\n", progress) + collector + logs);
      }
      Thread.sleep(200);
    }
  }
}
