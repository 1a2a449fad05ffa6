package io.raftwatch.collector.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code raftwatch check} as a monitoring agent runs it: rule files from the flag or the config
 * decide WARNING and CRITICAL, and every user mistake is one UNKNOWN line with exit code 3.
 * Members are plain-HTTP mock servers; the etcd-over-mTLS cases are in HealthCheckEtcdTest.
 */
class CheckCommandTest {
  private static final String RULES = """
      groups:
        - name: test
          rules:
            - alert: NoLeader
              expr: etcd_server_has_leader == 0
              labels: {severity: critical}
              annotations: {summary: "member {{ $labels.member }} has no leader"}
            - alert: ManyFds
              expr: process_open_fds > 100
              labels: {severity: warning}
              annotations: {summary: many fds}
            - alert: SlowlyManyFds
              expr: process_open_fds > 100
              for: 1h
              labels: {severity: critical}
      """;

  @TempDir Path dir;
  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  @Test
  void firingCriticalAlertIsCriticalAndPendingOnesAreListed() throws Exception {
    Path rules = Files.writeString(dir.resolve("test.rules.yaml"), RULES);
    try (MockWebServer member = serving("etcd_server_has_leader 0\nprocess_open_fds 150\n")) {
      int status = run("check", "--endpoints", "http://" + member.getHostName() + ":" + member.getPort(),
          "--interval", "10ms", "--rules", rules.toString());

      assertThat(status).as(out.toString()).isEqualTo(2);
      assertThat(out.toString()).startsWith("CRITICAL - etcd: 1/1 members up, no leader seen, 2 firing, 1 pending\n")
          .contains("  firing:\n    critical  NoLeader member=localhost:" + member.getPort()
              + "  member localhost:" + member.getPort() + " has no leader\n"
              + "    warning  ManyFds member=localhost:" + member.getPort() + "  many fds\n")
          .contains("  pending (their 'for' has not passed; they do not change the status):\n"
              + "    critical  SlowlyManyFds member=localhost:" + member.getPort() + "\n");
    }
  }

  @Test
  void configRuleFilesAreUsedAndAFiringWarningIsWarning() throws Exception {
    Files.writeString(dir.resolve("test.rules.yaml"), RULES);
    try (MockWebServer member = serving("etcd_server_is_leader 1\netcd_server_has_leader 1\nprocess_open_fds 150\n")) {
      Path config = Files.writeString(dir.resolve("raftwatch.yaml"), """
          clusters:
            - name: dev
              members:
                - {name: etcd-1, url: "%s"}
              ruleFiles: [test.rules.yaml]
          """.formatted(member.url("/")));

      int status = run("check", "--config", config.toString(), "--interval", "10ms");

      assertThat(status).as(out.toString()).isEqualTo(1);
      assertThat(out.toString()).startsWith("WARNING - dev: 1/1 members up, leader etcd-1, 1 firing, 1 pending\n")
          .contains("  etcd-1 (localhost:" + member.getPort() + ")  1   yes     yes\n");
    }
  }

  @Test
  void configMistakeIsOneUnknownLine() throws Exception {
    Path config = Files.writeString(dir.resolve("raftwatch.yaml"), """
        clusters:
          - name: dev
            lables: {}
            members:
              - {name: etcd-1, url: "http://127.0.0.1:1"}
        """);

    int status = run("check", "--config", config.toString());

    assertThat(status).isEqualTo(3);
    assertThat(out.toString()).isEqualTo("UNKNOWN - " + config
        + ":3: clusters[0].lables: unknown field; expected one of name, job, members, tls, labels, "
        + "scrapeInterval, scrapeTimeout, bodySizeLimit, ruleFiles, kubernetes, maintenance, checkCron\n");
  }

  @Test
  void brokenRuleFileIsUnknownNamingFileAndLine() throws Exception {
    Path rules = Files.writeString(dir.resolve("bad.rules.yaml"), """
        groups:
          - name: bad
            rules:
              - alert: Broken
                expr: rate(up[5m]
        """);

    int status = run("check", "--endpoints", "http://127.0.0.1:1", "--rules", rules.toString());

    assertThat(status).isEqualTo(3);
    assertThat(out.toString()).startsWith("UNKNOWN - " + rules + ":5: ").doesNotContain("Exception")
        .hasLineCount(1);
  }

  @Test
  void unreachableMembersAreUnknown() throws Exception {
    int port;
    try (var s = new java.net.ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      port = s.getLocalPort();
    }

    int status = run("check", "--endpoints", "http://127.0.0.1:" + port, "--interval", "10ms");

    assertThat(status).isEqualTo(3);
    assertThat(out.toString()).startsWith("UNKNOWN - etcd: 0/1 members up, no leader seen, 0 firing, ")
        .contains("http://127.0.0.1:" + port + "/metrics: connection refused");
  }

  @Test
  void badFlagIsUnknownToo() {
    int status = run("check", "--endpoints", "http://127.0.0.1:1", "--interval", "soon");

    assertThat(status).isEqualTo(3);
    assertThat(err.toString()).startsWith("raftwatch: ").contains("--interval").hasLineCount(1);
  }

  private static MockWebServer serving(String body) throws Exception {
    MockWebServer server = new MockWebServer();
    server.start(InetAddress.getByName("127.0.0.1"), 0);
    server.enqueue(new MockResponse.Builder().body(body).build());
    server.enqueue(new MockResponse.Builder().body(body).build());
    return server;
  }

  private int run(String... args) {
    CommandLine cl = RaftwatchCommand.commandLine();
    cl.setOut(new PrintWriter(out, true));
    cl.setErr(new PrintWriter(err, true));
    return cl.execute(args);
  }
}
