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
      String msg = "promtool not found on PATH (Debian package prometheus); cannot check the PromQL scripts against Prometheus";
      if ("true".equals(System.getenv("CI"))) {
        throw new AssertionError(msg + " — required when CI=true");
      }
      Assumptions.abort(msg);
    }
    List<DynamicTest> tests = new ArrayList<>();
    for (Path script : PromqlConformanceTest.scripts()) {
      String name = script.getFileName().toString();
      tests.add(DynamicTest.dynamicTest(name, () -> {
        PromtoolTestFile converted = PromtoolTestFile.convert(PromqlScript.read(script));
        Path yml = tmp.resolve(name.replace(".test", ".yml"));
        Files.writeString(yml, converted.yaml);
        String output = run(promtool.get(), yml);
        assertThat(output)
            .as("promtool test rules on %s (converted from %s, %d evals checked, %d eval_fail skipped)\n%s",
                yml, script, converted.checked, converted.skipped, converted.yaml)
            .startsWith("exit 0\n")
            .contains("SUCCESS");
      }));
    }
    return tests;
  }

  private static String run(Path promtool, Path yml) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(promtool.toString(), "test", "rules", yml.toString())
        .redirectErrorStream(true)
        .start();
    byte[] out = p.getInputStream().readAllBytes();
    if (!p.waitFor(60, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError("promtool did not finish within 60 s on " + yml);
    }
    return "exit " + p.exitValue() + "\n" + new String(out, StandardCharsets.UTF_8)
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
