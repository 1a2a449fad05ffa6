package io.raftwatch.collector.rules;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Runs every rule unit-test file, those of the shipped rules ({@code alert-rules/tests/}) and the
 * template oracle ({@code src/test/resources/rules/}), through both the real {@code promtool test
 * rules} and {@link RuleUnitTester}: both must pass. A file of failing tests shows that the two
 * report failures in the same words. The promtool half is skipped when promtool is missing, and
 * fails then under CI=true.
 */
class PromtoolParityTest {
  static final Path REPO = Path.of("").toAbsolutePath().getParent();
  static final Path RESOURCES = Path.of("src", "test", "resources", "rules").toAbsolutePath();

  static List<Path> testFiles() throws IOException {
    List<Path> files = new ArrayList<>();
    try (Stream<Path> s = Files.list(REPO.resolve("alert-rules").resolve("tests"))) {
      s.filter(p -> p.toString().endsWith(".yaml")).sorted().forEach(files::add);
    }
    files.add(RESOURCES.resolve("templates.test.yaml"));
    return files;
  }

  @TestFactory
  List<DynamicTest> raftwatchPassesEveryTestFile() throws IOException {
    List<DynamicTest> tests = new ArrayList<>();
    for (Path f : testFiles()) {
      tests.add(
          DynamicTest.dynamicTest(
              f.getFileName().toString(),
              () -> {
                Run run = raftwatch(f);
                assertThat(run.exit).as(run.output).isZero();
                assertThat(run.output).contains("SUCCESS");
              }));
    }
    return tests;
  }

  @TestFactory
  List<DynamicTest> promtoolPassesEveryTestFile() throws IOException {
    Path promtool = requirePromtool();
    List<DynamicTest> tests = new ArrayList<>();
    for (Path f : testFiles()) {
      tests.add(
          DynamicTest.dynamicTest(
              f.getFileName().toString(),
              () -> {
                Run run = promtool(promtool, "test", "rules", f);
                assertThat(run.exit).as(run.output).isZero();
              }));
    }
    return tests;
  }

  @Test
  void failuresAreReportedInPromtoolsWords() throws Exception {
    Path file = RESOURCES.resolve("failing.test.yaml");
    Run ours = raftwatch(file);
    assertThat(ours.exit).isEqualTo(RuleUnitTester.FAILED);
    assertThat(ours.output)
        .contains(
            "    alertname: Up, time: 2m, \n"
                + "        exp:[\n"
                + "            0:\n"
                + "              Labels:{alertname=\"Up\", instance=\"a\"}\n"
                + "              Annotations:{summary=\"wrong\"}\n"
                + "            ], \n"
                + "        got:[\n"
                + "            0:\n"
                + "              Labels:{alertname=\"Up\", instance=\"a\"}\n"
                + "              Annotations:{summary=\"a is up (1)\"}\n"
                + "            ]")
        .contains(
            "    expr: \"sum(up)\", time: 5m,\n"
                + "        exp: {} 2.5E+00\n"
                + "        got: {} 2E+00");
    Path promtool = requirePromtool();
    Run theirs = promtool(promtool, "test", "rules", file);
    assertThat(theirs.exit).isEqualTo(1);
    assertThat(ours.output).isEqualTo(theirs.output);
  }

  @Test
  void aMissingRuleFileIsAFileError() throws IOException {
    Path file = RESOURCES.resolve("missing-rules.test.yaml");
    Run ours = raftwatch(file);
    assertThat(ours.exit).isEqualTo(RuleUnitTester.FILE_ERROR);
    assertThat(ours.output).contains("FAILED:").contains("no-such.rules.yaml").contains("cannot read");
  }

  record Run(int exit, String output) {}

  static Run raftwatch(Path file) {
    StringWriter buf = new StringWriter();
    PrintWriter w = new PrintWriter(buf, true);
    // One stream for both, as a terminal shows them.
    int exit = new RuleUnitTester(w, w).run(List.of(file));
    return new Run(exit, buf.toString().replace(file.toString(), "FILE"));
  }

  static Run promtool(Path promtool, String cmd, String sub, Path file) throws Exception {
    Process p =
        new ProcessBuilder(promtool.toString(), cmd, sub, file.toString())
            .redirectErrorStream(true)
            .start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    return new Run(p.exitValue(), out.replace(file.toString(), "FILE"));
  }

  /** promtool's path; aborts the test when it is missing, or fails it when CI=true. */
  static Path requirePromtool() {
    Optional<Path> found =
        Stream.of(System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator))
            .map(d -> Path.of(d, "promtool"))
            .filter(Files::isExecutable)
            .findFirst();
    if (found.isEmpty()) {
      String msg = "promtool not found on PATH (Debian package prometheus); cannot compare";
      if ("true".equals(System.getenv("CI"))) {
        throw new AssertionError(msg + " — required when CI=true");
      }
      Assumptions.abort(msg);
    }
    return found.get();
  }
}
