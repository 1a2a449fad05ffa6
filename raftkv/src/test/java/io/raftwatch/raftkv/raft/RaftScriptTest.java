package io.raftwatch.raftkv.raft;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Runs every scenario under {@code src/test/resources/raft/}. {@code -Drewrite=true} writes the
 * actual output back into the files instead of comparing; read the diff before keeping it.
 */
class RaftScriptTest {
  private static final Path DIR = Path.of("src/test/resources/raft");

  @TestFactory
  Stream<DynamicTest> scenarios() throws IOException {
    List<Path> files;
    try (Stream<Path> s = Files.list(DIR)) {
      files = s.filter(p -> p.toString().endsWith(".txt")).sorted().toList();
    }
    assertThat(files).isNotEmpty();
    return files.stream().map(f -> DynamicTest.dynamicTest(f.getFileName().toString(), () -> run(f)));
  }

  private static void run(Path file) throws IOException {
    ScriptFile script = ScriptFile.read(file);
    InteractionEnv env = new InteractionEnv();
    List<String> actual = new ArrayList<>();
    boolean rewrite = Boolean.getBoolean("rewrite");
    for (ScriptFile.Case c : script.cases()) {
      String got = env.handle(c.command());
      actual.add(got);
      if (!rewrite) {
        assertThat(got)
            .as("%s:%d: %s", file.getFileName(), c.line(), c.command())
            .isEqualTo(c.expected());
      }
    }
    if (rewrite) {
      Files.writeString(file, script.rewrite(actual));
    }
  }
}
