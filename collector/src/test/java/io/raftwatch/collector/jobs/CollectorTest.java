package io.raftwatch.collector.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.raftwatch.collector.config.ConfigLoader;
import io.raftwatch.collector.config.RaftwatchConfig;
import io.raftwatch.collector.health.CheckStatus;
import io.raftwatch.collector.history.CheckResult;
import io.raftwatch.collector.history.Database;
import io.raftwatch.collector.history.HistoryStore;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The collector on the real Quartz scheduler and an H2 history, against a member that refuses
 * connections: the health check fires at its interval and every fire leaves a check result.
 */
class CollectorTest {
  @TempDir Path dir;

  @Test
  void healthCheckFiresAtTheIntervalAndRecordsEachFire() throws Exception {
    int closedPort;
    try (ServerSocket s = new ServerSocket(0)) {
      closedPort = s.getLocalPort();
    }
    RaftwatchConfig config = new ConfigLoader().parse("raftwatch.yaml", """
        clusters:
          - name: down
            scrapeInterval: 1s
            members:
              - url: http://127.0.0.1:%d
        """.formatted(closedPort), dir);
    Instant started = Instant.now();
    try (Collector c = Collector.create(config, CollectorOptions.defaults(dir.resolve("data")))) {
      c.start();
      await().atMost(Duration.ofSeconds(20)).until(() ->
          c.history().checks("down", started, Instant.now().plusSeconds(5), 10).size() >= 2);
      List<CheckResult> checks = c.history().checks("down", started, Instant.now().plusSeconds(5), 10);
      assertThat(checks).allSatisfy(r -> {
        assertThat(r.status()).isEqualTo(CheckStatus.UNKNOWN);
        assertThat(r.summary()).startsWith("down: 0/1 members up, no leader seen");
        assertThat(r.instance()).isEqualTo("local");
        assertThat(r.fireTime().toEpochMilli() % 1000).as("aligned to the interval").isZero();
      });
      assertThat(c.clusters().get(0).state().members().get(0).lastError().orElseThrow())
          .contains("connection refused");
      assertThat(c.registry().getSampleValue("raftwatch_collector_job_runs_total",
          new String[] {"job", "cluster", "outcome"}, new String[] {"health-check", "down", "success"}))
          .isGreaterThanOrEqualTo(2.0);
      assertThat(c.registry().getSampleValue("raftwatch_collector_check_status",
          new String[] {"cluster"}, new String[] {"down"})).as("UNKNOWN").isEqualTo(3.0);
      assertThat(c.registry().getSampleValue("raftwatch_collector_scrapes_total",
          new String[] {"cluster", "result"}, new String[] {"down", "down"})).isGreaterThanOrEqualTo(2.0);
      // Another process (here H2's own shell; raftwatch report in production) reads the history
      // while this collector holds it, through the auto-server on loopback.
      Process shell = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
          "-cp", System.getProperty("java.class.path"), "org.h2.tools.Shell",
          "-url", Database.h2(dir.resolve("data")).url(),
          "-sql", "SELECT COUNT(*) >= 2 AS enough FROM check_results WHERE cluster = 'down'")
          .redirectErrorStream(true).start();
      String text = new String(shell.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(shell.waitFor()).as(text).isZero();
      assertThat(text.lines().map(String::strip)).as(text).contains("ENOUGH", "TRUE");
    }
    // The history outlives the collector.
    try (HistoryStore h = HistoryStore.open(Database.h2(dir.resolve("data")), Clock.systemUTC())) {
      assertThat(h.lastCheck("down")).isPresent();
    }
  }

  @Test
  void checkCronOfTheConfigSchedulesTheCheckAndTheFlagOverridesIt() throws Exception {
    RaftwatchConfig config = new ConfigLoader().parse("raftwatch.yaml", """
        clusters:
          - name: nightly
            checkCron: "0 0 2 * * ?"
            members: [{url: "http://127.0.0.1:1"}]
          - name: often
            members: [{url: "http://127.0.0.1:2"}]
        """, dir);
    try (Collector c = Collector.create(config, CollectorOptions.defaults(dir.resolve("a")))) {
      assertThat(c.describeClusters()).satisfiesExactly(
          line -> assertThat(line).contains("cluster=nightly", "schedule=\"cron 0 0 2 * * ?\""),
          line -> assertThat(line).contains("cluster=often", "schedule=\"every 15s\""));
    }
    CollectorOptions flag = CollectorOptions.defaults(dir.resolve("b"))
        .withCheckCron(java.util.Map.of("nightly", "0 */5 * * * ?"));
    try (Collector c = Collector.create(config, flag)) {
      assertThat(c.describeClusters().get(0)).contains("schedule=\"cron 0 */5 * * * ?\"");
    }
  }
}
