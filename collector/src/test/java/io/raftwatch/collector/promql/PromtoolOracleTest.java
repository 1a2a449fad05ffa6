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
    Path promtool = requirePromtool();
    List<DynamicTest> tests = new ArrayList<>();
    for (Path script : PromqlConformanceTest.scripts()) {
      tests.add(
          DynamicTest.dynamicTest(
              script.getFileName().toString(),
              () -> verify(promtool, PromqlScript.read(script), tmp)));
    }
    return tests;
  }

  /** promtool's path; aborts the test when it is missing, or fails it when CI=true. */
  static Path requirePromtool() {
    Optional<Path> promtool = findPromtool();
    if (promtool.isEmpty()) {
      String msg =
          "promtool not found on PATH (Debian package prometheus); cannot check PromQL results"
              + " against Prometheus";
      if ("true".equals(System.getenv("CI"))) {
        throw new AssertionError(msg + " — required when CI=true");
      }
      Assumptions.abort(msg);
    }
    return promtool.get();
  }

  /**
   * Converts {@code script} to promtool's format in {@code dir} and asserts that promtool passes
   * every eval and fails every eval_fail with the expected message.
   */
  static void verify(Path promtool, PromqlScript script, Path dir)
      throws IOException, InterruptedException {
    String name = script.file().getFileName().toString();
    PromtoolTestFile converted = PromtoolTestFile.convert(script);
    Path yml = dir.resolve(name.replace(".test", ".yml"));
    Files.writeString(yml, converted.yaml);
    String output = run(promtool, yml);
    assertThat(output)
        .as(
            "promtool test rules on %s (converted from %s, %d evals)\n%s",
            yml, script.file(), converted.checked, converted.yaml)
        .startsWith("exit 0\n")
        .contains("SUCCESS");
    if (!converted.failEvals.isEmpty()) {
      checkFailures(promtool, script.file(), converted, dir);
    }
  }

  /**
   * Runs the eval_fail cases, each of which must fail in promtool with an error; the errors come
   * back in order as lines {@code expr: "...", time: ..., err: MESSAGE}, and each must satisfy the
   * script's expected_fail_message or expected_fail_regexp.
   */
  private static void checkFailures(
      Path promtool, Path script, PromtoolTestFile converted, Path dir)
      throws IOException, InterruptedException {
    Path yml = dir.resolve(script.getFileName().toString().replace(".test", "-fail.yml"));
    Files.writeString(yml, converted.failYaml);
    String output = run(promtool, yml);
    // promtool prints each failing case as: expr: "<Go-quoted expr>", time: <t>, err: <message>
    List<String> exprs = new ArrayList<>();
    List<String> errors = new ArrayList<>();
    for (String line : output.split("\n")) {
      int at = line.indexOf(", err: ");
      String stripped = line.strip();
      if (stripped.startsWith("expr: ") && at >= 0) {
        exprs.add(stripped.substring("expr: ".length(), stripped.indexOf(", time: ")));
        errors.add(line.substring(at + ", err: ".length()));
      }
    }
    SoftAssertions softly = new SoftAssertions();
    int next = 0;
    for (PromqlScript.Eval eval : converted.failEvals) {
      String where = script + ":" + eval.line() + " " + eval.expr();
      String quoted = StringLiterals.quote(eval.expr());
      if (next >= exprs.size() || !exprs.get(next).equals(quoted)) {
        softly.fail("%s: promtool evaluated this without an error:%n%s", where, output);
        continue;
      }
      String error = errors.get(next++);
      if (eval.failMessage() != null) {
        softly.assertThat(error).as(where).isEqualTo(eval.failMessage());
      }
      if (eval.failRegexp() != null) {
        softly.assertThat(error).as(where).matches(eval.failRegexp());
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
