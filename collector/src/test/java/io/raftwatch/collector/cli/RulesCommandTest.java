package io.raftwatch.collector.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code raftwatch rules check|test|render}: output and exit status. */
class RulesCommandTest {
  static final Path REPO = Path.of("").toAbsolutePath().getParent();
  static final Path RESOURCES = Path.of("src/test/resources/rules").toAbsolutePath();

  private final StringWriter out = new StringWriter();

  private int run(String... args) {
    CommandLine cl = RaftwatchCommand.commandLine();
    cl.setOut(new PrintWriter(out, true));
    cl.setErr(new PrintWriter(out, true));
    return cl.execute(args);
  }

  @Test
  void checkCountsTheShippedRules() {
    assertThat(run("rules", "check", REPO.resolve("alert-rules/etcd.rules.yaml").toString()))
        .isZero();
    assertThat(out.toString()).contains("  SUCCESS: 20 rules found");
  }

  @Test
  void checkFailsOnABrokenFile(@TempDir Path dir) throws Exception {
    Path f = dir.resolve("bad.yaml");
    Files.writeString(f, "groups:\n  - name: g\n    rules:\n      - alert: A\n        expr: up ==\n");
    assertThat(run("rules", "check", f.toString())).isEqualTo(1);
    assertThat(out.toString())
        .contains("  FAILED:")
        .contains("bad.yaml:5: group \"g\", rule 1, \"A\": could not parse expression");
  }

  @Test
  void testExitsZeroOneOrTwo() {
    assertThat(run("rules", "test", REPO.resolve("alert-rules/tests/leader.yaml").toString()))
        .isZero();
    assertThat(run("rules", "test", RESOURCES.resolve("failing.test.yaml").toString()))
        .isEqualTo(1);
    assertThat(run("rules", "test", RESOURCES.resolve("missing-rules.test.yaml").toString()))
        .isEqualTo(2);
  }

  @Test
  void renderWritesRulesForAnotherLabelSet(@TempDir Path dir) throws Exception {
    Path o = dir.resolve("k8s.yaml");
    assertThat(run("rules", "render", "--template",
        REPO.resolve("alert-rules/src/etcd.rules.yaml.ftl").toString(),
        "--member-labels", "instance,pod", "-o", o.toString())).isZero();
    assertThat(Files.readString(o)).contains("without (instance, pod)");
    assertThat(run("rules", "check", o.toString())).isZero();
  }
}
