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

/** {@code raftwatch scrape} as a user runs it: the table, the dump, and one-line mistakes. */
class ScrapeCommandTest {
  @TempDir Path dir;
  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  @Test
  void printsOneRowPerMemberAndDumpsTheSeries() throws Exception {
    try (MockWebServer leader = new MockWebServer(); MockWebServer follower = new MockWebServer()) {
      leader.start(InetAddress.getByName("127.0.0.1"), 0);
      follower.start(InetAddress.getByName("127.0.0.1"), 0);
      leader.enqueue(new MockResponse.Builder().body("etcd_server_is_leader 1\nprocess_open_fds 33\n").build());
      follower.enqueue(new MockResponse.Builder().body("etcd_server_is_leader 0\nprocess_open_fds 31\n").build());
      Path config = Files.writeString(dir.resolve("raftwatch.yaml"), """
          clusters:
            - name: dev
              members:
                - {name: etcd-1, url: "%s"}
                - {name: etcd-2, url: "%s"}
          """.formatted(leader.url("/"), follower.url("/")));

      int status = run("scrape", "--config", config.toString(), "--dump");

      assertThat(status).isZero();
      String[] lines = out.toString().split("\n");
      assertThat(lines[0]).matches("MEMBER +UP +LEADER +SCRAPE +SERIES +LAST ERROR");
      assertThat(lines[1]).matches("etcd-1 \\(localhost:\\d+\\) +1 +yes +[0-9.]+ms +2");
      assertThat(lines[2]).matches("etcd-2 \\(localhost:\\d+\\) +1 +no +[0-9.]+ms +2");
      assertThat(out.toString()).containsPattern(
          "process_open_fds\\{cluster=\"dev\", instance=\"localhost:\\d+\", job=\"dev\", member=\"etcd-1\"} 33 \\d+");
      assertThat(err.toString()).isEmpty();
    }
  }

  @Test
  void downMemberExitsOneWithTheReasonInTheTable() throws Exception {
    int port;
    try (var s = new java.net.ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      port = s.getLocalPort();
    }

    int status = run("scrape", "--endpoints", "127.0.0.1:" + port);

    assertThat(status).isEqualTo(1);
    assertThat(out.toString()).containsPattern("127.0.0.1:" + port + " +0 +- +[0-9.]+ms +- +connection refused");
  }

  @Test
  void configMistakesAreOneLineEachAndExitTwo() throws Exception {
    Path config = Files.writeString(dir.resolve("raftwatch.yaml"), """
        clusters:
          - name: dev
            members:
              - url: htps://10.0.0.1:2379
        """);

    int status = run("scrape", "--config", config.toString());

    assertThat(status).isEqualTo(2);
    assertThat(err.toString()).isEqualTo(config + ":4: clusters[0].members[0].url: "
        + "'htps://10.0.0.1:2379' is not an http(s) URL; expected e.g. https://10.0.0.1:2379\n");
    assertThat(out.toString()).isEmpty();
  }

  @Test
  void unusableCertificateFilesExitTwoNamingTheFile() {
    Path missing = dir.resolve("client.crt");

    int status = run("scrape", "--endpoints", "https://127.0.0.1:1", "--cert", missing.toString(),
        "--key", missing.toString());

    assertThat(status).isEqualTo(2);
    assertThat(err.toString()).isEqualTo("--cert: file " + missing + " does not exist\n"
        + "--key: file " + missing + " does not exist\n");
  }

  @Test
  void badFlagsExitTwoWithoutAStackTrace() {
    int status = run("scrape", "--confg", "x");

    assertThat(status).isEqualTo(2);
    assertThat(err.toString()).startsWith("raftwatch: Unknown options: '--confg', 'x'")
        .endsWith("(see 'raftwatch scrape --help')\n").doesNotContain("\tat ");
  }

  @Test
  void helpListsEveryOption() {
    int status = run("scrape", "--help");

    assertThat(status).isZero();
    assertThat(out.toString()).contains("--config", "--endpoints", "--cacert", "--cert", "--key",
        "--insecure-skip-tls-verify", "--cluster", "--dump", "--verbose", "Exit status");
  }

  private int run(String... args) {
    CommandLine cl = RaftwatchCommand.commandLine();
    cl.setOut(new PrintWriter(out, true));
    cl.setErr(new PrintWriter(err, true));
    return cl.execute(args);
  }
}
