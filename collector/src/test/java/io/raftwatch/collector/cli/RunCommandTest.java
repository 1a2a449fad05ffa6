package io.raftwatch.collector.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code raftwatch run}'s mistakes: each is one line naming what is wrong, with exit status 2 for
 * the user's files and flags and 1 for an unusable database, and never a stack trace or a
 * password. (Running until a signal is shown with real processes in ClusteredFailoverProcessTest.)
 */
class RunCommandTest {
  @TempDir Path dir;
  private Path config;
  private final StringWriter out = new StringWriter();

  @BeforeEach
  void writeConfig() throws Exception {
    config = Files.writeString(dir.resolve("raftwatch.yaml"), """
        clusters:
          - name: prod
            members:
              - url: http://127.0.0.1:2379
        """);
  }

  private int run(String... args) {
    CommandLine cl = RaftwatchCommand.commandLine();
    cl.setOut(new PrintWriter(out, true));
    cl.setErr(new PrintWriter(out, true));
    return cl.execute(args);
  }

  @Test
  void missingConfigFileIsNamed() {
    int exit = run("run", "--config", dir.resolve("nope.yaml").toString());

    assertThat(exit).isEqualTo(2);
    assertThat(out.toString()).contains("nope.yaml").doesNotContain("Exception");
  }

  @Test
  void badCheckCronNamesTheClusterAndTheExpression() {
    int exit = run("run", "--config", config.toString(), "--data-dir", dir.toString(),
        "--check-cron", "prod=every five minutes");

    assertThat(exit).isEqualTo(2);
    assertThat(out.toString().strip()).startsWith("raftwatch: the check cron of cluster prod "
        + "'every five minutes' is not a Quartz cron expression").doesNotContain("Exception");
  }

  @Test
  void checkCronForAnUnknownClusterIsRefused() {
    int exit = run("run", "--config", config.toString(), "--data-dir", dir.toString(),
        "--check-cron", "staging=0 */5 * * * ?");

    assertThat(exit).isEqualTo(2);
    assertThat(out.toString().strip()).isEqualTo("raftwatch: a check cron is given for cluster "
        + "'staging', which " + config + " does not describe (it has prod)");
  }

  @Test
  void unsupportedDatabaseIsNamedWithoutItsCredentials() {
    int exit = run("run", "--config", config.toString(), "--db-url",
        "jdbc:mysql://db:3306/raftwatch?user=rw&password=secret");

    assertThat(exit).isEqualTo(2);
    assertThat(out.toString().strip()).isEqualTo("raftwatch: unsupported database URL "
        + "'jdbc:mysql:...': expected jdbc:postgresql://HOST:PORT/DB (or jdbc:h2:...)");
  }

  @Test
  void unreachableDatabaseIsOneLineWithoutThePassword() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    int exit = run("run", "--config", config.toString(), "--db-url",
        "jdbc:postgresql://127.0.0.1:" + port + "/raftwatch?user=rw&password=secret");

    assertThat(exit).isEqualTo(1);
    assertThat(out.toString().lines()).singleElement().asString()
        .startsWith("raftwatch: cannot connect to the history database jdbc:postgresql://127.0.0.1:"
            + port + "/raftwatch?user=rw&password=***: Connection refused")
        .doesNotContain("secret");
  }

  @Test
  void helpDescribesEveryOption() {
    int exit = run("run", "--help");

    assertThat(exit).isZero();
    assertThat(out.toString()).contains("--config", "--data-dir", "--db-url", "--db-user",
        "--listen", "--history-retention", "--report-cron", "--check-cron", "--misfire-threshold",
        "--cluster-checkin-interval", "RAFTWATCH_DB_PASSWORD", "docs/run.md");
  }
}
