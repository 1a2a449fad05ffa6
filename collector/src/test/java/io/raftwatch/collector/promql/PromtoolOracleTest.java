package io.raftwatch.collector.promql;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * The oracle for our conformance scripts: converts each promqltest script under {@code
 * src/test/resources/promql/} into promtool's rule-unit-test format ({@link PromtoolTestFile}) and
 * runs the real {@code promtool test rules} (Debian's prometheus 2.42) on it, which must pass.
 * Since {@link PromqlConformanceTest} runs our engine on the same expectations, every value in the
 * scripts is one Prometheus itself computes. Skipped with a message when promtool is missing,
 * except under CI=true, where that fails.
 */
class PromtoolOracleTest {
  @TempDir Path tmp;

  @TestFactory
  List<DynamicTest> promtoolAgreesWithEveryScript() throws IOException {
    Optional<Path> promtool = findPromtool();
    if (promtool.isEmpty()) {
      String msg =
          "promtool not found on PATH (Debian package prometheus); cannot check the PromQL scripts"
              + " against Prometheus";
      if ("true".equals(System.getenv("CI"))) {
        throw new AssertionError(msg + " — required when CI=true");
      }
      Assumptions.abort(msg);
    }
    List<DynamicTest> tests = new ArrayList<>();
    for (Path script : PromqlConformanceTest.scripts()) {
      String name = script.getFileName().toString();
      tests.add(
          DynamicTest.dynamicTest(
              name,
              () -> {
                PromtoolTestFile converted = PromtoolTestFile.convert(PromqlScript.read(script));
                Path yml = tmp.resolve(name.replace(".test", ".yml"));
                Files.writeString(yml, converted.yaml);
                String output = run(promtool.get(), yml);
                assertThat(output)
                    .as(
                        "promtool test rules on %s (converted from %s, %d evals)\n%s",
                        yml, script, converted.checked, converted.yaml)
                    .startsWith("exit 0\n")
                    .contains("SUCCESS");
                if (!converted.failEvals.isEmpty()) {
                  checkFailures(promtool.get(), script, converted);
                }
              }));
    }
    return tests;
  }

  /**
   * Runs the eval_fail cases, each of which must fail in promtool with an error; the errors come
   * back in order as lines {@code expr: "...", time: ..., err: MESSAGE}, and each must satisfy the
   * script's expected_fail_message or expected_fail_regexp.
   */
  private void checkFailures(Path promtool, Path script, PromtoolTestFile converted)
      throws IOException, InterruptedException {
    Path yml = tmp.resolve(script.getFileName().toString().replace(".test", "-fail.yml"));
    Files.writeString(yml, converted.failYaml);
    String output = run(promtool, yml);
    List<String> errors = new ArrayList<>();
    for (String line : output.split("\n")) {
      int at = line.indexOf(", err: ");
      if (line.strip().startsWith("expr: ") && at >= 0) {
        errors.add(line.substring(at + ", err: ".length()));
      }
    }
    assertThat(errors)
        .as(
            "promtool errors for the eval_fail cases of %s:\n%s\n%s",
            script, output, converted.failYaml)
        .hasSize(converted.failEvals.size());
    SoftAssertions softly = new SoftAssertions();
    for (int i = 0; i < errors.size(); i++) {
      PromqlScript.Eval eval = converted.failEvals.get(i);
      String where = script + ":" + eval.line() + " " + eval.expr();
      if (eval.failMessage() != null) {
        softly.assertThat(errors.get(i)).as(where).isEqualTo(eval.failMessage());
      }
      if (eval.failRegexp() != null) {
        softly.assertThat(errors.get(i)).as(where).matches(eval.failRegexp());
      }
    }
    softly.assertAll();
  }

  private static String run(Path promtool, Path yml) throws IOException, InterruptedException {
    Process p =
        new ProcessBuilder(promtool.toString(), "test", "rules", yml.toString())
            .redirectErrorStream(true)
            .start();
    byte[] out = p.getInputStream().readAllBytes();
    if (!p.waitFor(60, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError("promtool did not finish within 60 s on " + yml);
    }
    return "exit "
        + p.exitValue()
        + "\n"
        + new String(out, StandardCharsets.UTF_8)
        + (p.exitValue() == 0 ? "" : "\n(FAILED)");
  }

  static Optional<Path> findPromtool() {
    String path = System.getenv("PATH");
    if (path == null) {
      return Optional.empty();
    }
    for (String dir : path.split(File.pathSeparator)) {
      Path p = Path.of(dir, "promtool");
      if (Files.isExecutable(p)) {
        return Optional.of(p);
      }
    }
    return Optional.empty();
  }
}
