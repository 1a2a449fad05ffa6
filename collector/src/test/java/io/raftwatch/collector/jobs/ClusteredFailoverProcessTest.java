package io.raftwatch.collector.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.raftwatch.collector.fixture.Postgres;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.awaitility.core.ConditionFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * High availability with two {@code raftwatch run} processes (java from the test classpath) on one
 * real PostgreSQL, clustered: the collector running the health-check fires is killed with SIGKILL,
 * the other detects it and takes over, and every fire that ran is recorded exactly once (the
 * check results are keyed by cluster and fire time, and no process saw a fire another had already
 * recorded). The fires due while the dead one still held the trigger are misfires, skipped and
 * logged by the survivor. The survivor then stops gracefully on SIGTERM.
 *
 * <p>Real processes and a real failure detector: the test waits with Awaitility (deadlines are
 * generous because the machine is shared). Skips without PostgreSQL (fails when CI=true).
 */
class ClusteredFailoverProcessTest {
  private static final Pattern INSTANCE = Pattern.compile("raftwatch run: watching .*, instance (\\S+)");

  @TempDir Path dir;
  private Postgres pg;
  private final List<Process> processes = new ArrayList<>();
  private ServerSocket hangingMember;

  @AfterEach
  void cleanUp() throws Exception {
    for (Process p : processes) {
      p.destroyForcibly();
      p.waitFor(30, TimeUnit.SECONDS);
    }
    if (pg != null) {
      pg.close();
    }
    if (hangingMember != null) {
      hangingMember.close();
    }
  }

  @Test
  void killingTheCollectorThatRunsTheFiresHandsThemToTheOtherOnce() throws Exception {
    pg = Postgres.create();
    // A member that accepts connections (the kernel's backlog) and never answers: every check
    // waits out the 700 ms scrape timeout, so a fire is usually in flight when the collector is
    // killed, and the survivor must recover it. The health check itself is proven against etcd
    // elsewhere; this test is about the scheduler.
    hangingMember = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    Path config = Files.writeString(dir.resolve("raftwatch.yaml"), """
        clusters:
          - name: ha
            scrapeInterval: 1s
            scrapeTimeout: 700ms
            members:
              - url: http://127.0.0.1:%d
        """.formatted(hangingMember.getLocalPort()));

    Path logA = dir.resolve("a.log");
    Path logB = dir.resolve("b.log");
    start(config, logA);
    waitUpTo(Duration.ofMinutes(3)).until(() -> checks().size() >= 2);
    start(config, logB);
    String idA = instanceId(logA);
    String idB = waitUpTo(Duration.ofMinutes(3)).until(() -> instanceIdOrNull(logB), id -> id != null);
    // Both collectors checked in to the cluster.
    waitUpTo(Duration.ofMinutes(2)).until(() -> schedulerInstances().size() == 2);

    // Kill -9 the one that ran the latest fire.
    String victimId = waitUpTo(Duration.ofMinutes(1))
        .until(() -> lastInstance(), id -> id != null);
    Process victim = processes.get(victimId.equals(idA) ? 0 : 1);
    String survivorId = victimId.equals(idA) ? idB : idA;
    Path survivorLog = victimId.equals(idA) ? logB : logA;
    Path victimLog = victimId.equals(idA) ? logA : logB;
    victim.destroyForcibly();
    assertThat(victim.waitFor(30, TimeUnit.SECONDS)).isTrue();
    Instant killedAt = Instant.now();
    assertThat(victim.exitValue()).as("killed by SIGKILL").isEqualTo(128 + 9);

    // The survivor takes the fires over.
    waitUpTo(Duration.ofMinutes(3)).until(() ->
        checks().entrySet().stream().filter(e -> e.getKey().isAfter(killedAt)
            && e.getValue().equals(survivorId)).count() >= 3);
    // Its failure detector declares the dead one failed (it may already have taken fires over,
    // when the dead one held no trigger).
    waitUpTo(Duration.ofMinutes(2)).until(() -> Files.readString(survivorLog)
        .contains("Scanning for instance \"" + victimId + "\"'s failed in-progress jobs"));
    Map<Instant, String> checks = checks();
    assertThat(checks.entrySet()).filteredOn(e -> e.getKey().isAfter(killedAt.plusSeconds(1)))
        .allSatisfy(e -> assertThat(e.getValue()).isEqualTo(survivorId));
    String survivorText = Files.readString(survivorLog);
    assertThat(survivorText).contains("ClusterManager: detected 1 failed or restarted instances",
        "Scanning for instance \"" + victimId + "\"'s failed in-progress jobs");

    // Exactly once: one row per fire (the primary key), and no collector ran a fire that another
    // had recorded, except possibly the one fire in flight at the kill, which Quartz recovers.
    List<String> duplicates = new ArrayList<>();
    for (Path log : List.of(survivorLog, victimLog)) {
      Files.readString(log).lines().filter(l -> l.contains("was already recorded")).forEach(duplicates::add);
    }
    assertThat(duplicates).hasSizeLessThanOrEqualTo(1);
    // Fires are every second. A hole is fires skipped as misfires: those due while the dead
    // collector still held the trigger, or, on this shared machine, a fire that could not start
    // within the misfire threshold. Either way the first skipped fire was logged as such by the
    // collector that skipped it; a fire that ran and was not recorded would be a hole without.
    String logs = survivorText + Files.readString(victimLog);
    List<Instant> fires = new ArrayList<>(checks.keySet());
    int holes = 0;
    for (int i = 1; i < fires.size(); i++) {
      long gap = Duration.between(fires.get(i - 1), fires.get(i)).toMillis();
      assertThat(gap % 1000).isZero();
      if (gap > 1000) {
        holes++;
        Instant firstSkipped = fires.get(i - 1).plusSeconds(1);
        assertThat(logs).as("the hole before " + fires.get(i))
            .contains("the fire due at " + firstSkipped + " could not start on time and is skipped");
      }
    }
    Instant takenOver = checks.entrySet().stream().filter(e -> e.getKey().isAfter(killedAt)
        && e.getValue().equals(survivorId)).findFirst().orElseThrow().getKey();
    Matcher recovered = Pattern.compile("Scheduled (\\d+) recoverable job").matcher(survivorText);
    // The figures the docs quote: how long the cluster went unchecked, what was recovered.
    System.out.printf("failover: killed at %s, survivor's first fire %s (%d ms later), %d hole(s), "
        + "%s in-flight fire(s) recovered%n", killedAt, takenOver,
        Duration.between(killedAt, takenOver).toMillis(), holes, recovered.find() ? recovered.group(1) : "0");

    // SIGTERM: the shutdown hook stops the scheduler and the history cleanly.
    Process survivor = processes.get(victimId.equals(idA) ? 1 : 0);
    survivor.destroy();
    assertThat(survivor.waitFor(2, TimeUnit.MINUTES)).isTrue();
    assertThat(Files.readString(survivorLog)).contains("shutdown complete.")
        .doesNotContain("password=raftwatch");
  }

  /** Polls twice a second, taking a database that is not migrated yet as "not yet". */
  private static ConditionFactory waitUpTo(Duration d) {
    return await().atMost(d).pollInterval(Duration.ofMillis(500)).ignoreExceptions();
  }

  private void start(Path config, Path log) throws IOException {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    ProcessBuilder pb = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
        "io.raftwatch.collector.cli.RaftwatchCommand", "--verbose", "run",
        "--config", config.toString(), "--db-url", pg.url(), "--listen", "127.0.0.1:0",
        "--cluster-checkin-interval", "1s")
        .redirectErrorStream(true).redirectOutput(log.toFile());
    processes.add(pb.start());
  }

  private static String instanceId(Path log) {
    return waitUpTo(Duration.ofMinutes(3)).until(() -> instanceIdOrNull(log), id -> id != null);
  }

  private static String instanceIdOrNull(Path log) throws IOException {
    Matcher m = INSTANCE.matcher(Files.readString(log));
    return m.find() ? m.group(1) : null;
  }

  /** Fire time to instance, in fire order. */
  private Map<Instant, String> checks() throws SQLException {
    Map<Instant, String> out = new TreeMap<>();
    try (Connection c = DriverManager.getConnection(pg.url()); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT fire_time_ms, instance FROM check_results WHERE cluster = 'ha'")) {
      while (rs.next()) {
        out.put(Instant.ofEpochMilli(rs.getLong(1)), rs.getString(2));
      }
    }
    return out;
  }

  private String lastInstance() throws SQLException {
    return checks().entrySet().stream().reduce((a, b) -> b).map(Map.Entry::getValue).orElse(null);
  }

  private List<String> schedulerInstances() throws SQLException {
    List<String> out = new ArrayList<>();
    try (Connection c = DriverManager.getConnection(pg.url()); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT instance_name FROM qrtz_scheduler_state")) {
      while (rs.next()) {
        out.add(rs.getString(1));
      }
    }
    return out;
  }
}
