package io.raftwatch.raftkv.storage;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * kill -9 of a process appending with fsync loses no record it reported durable. The child ({@link
 * WalAppender}) prints each index once {@code save} returned; after a random number of those, the
 * test SIGKILLs it when it starts a large save, reopens the log and checks every printed index.
 * The rounds share one directory, so each child also recovers from the previous kill (sometimes a
 * record torn mid-write) before appending.
 */
class WalCrashTest {
  private static final Pattern LINE = Pattern.compile("(saving|durable) (\\d+)");

  @TempDir Path tmp;

  @Test
  void sigkillDuringAppendsLosesNothingReportedDurable() throws Exception {
    Path dir = tmp.resolve("wal");
    long seed = new Random().nextLong();
    Random random = new Random(seed);
    long highestReported = 0;
    for (int round = 0; round < 4; round++) {
      int killAfter = 5 + random.nextInt(60);
      long reported = runAndKill(dir, killAfter);

      assertThat(reported)
          .as("seed %d round %d: the child reported past the previous round", seed, round)
          .isGreaterThan(highestReported);
      highestReported = reported;
      WalContents contents = WalTestData.reopen(dir);
      assertThat(contents.lastIndex())
          .as("seed %d round %d: killed after %d lines", seed, round, killAfter)
          .isGreaterThanOrEqualTo(highestReported);
      for (int i = 0; i < highestReported; i++) {
        assertThat(contents.entries().get(i))
            .as("seed %d round %d", seed, round)
            .isEqualTo(WalAppender.entry(i + 1));
      }
      assertThat(contents.hardState().commit()).isGreaterThanOrEqualTo(highestReported - 1);
    }
  }

  /**
   * Runs a child until it has reported {@code killAfter} saves durable, then SIGKILLs it as soon as
   * it announces a large entry, and returns the highest index it reported durable.
   */
  private long runAndKill(Path dir, int killAfter) throws Exception {
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    ProcessBuilder builder =
        new ProcessBuilder(
                java.toString(),
                "-cp",
                System.getProperty("java.class.path"),
                WalAppender.class.getName(),
                dir.toString(),
                "2048")
            .redirectError(tmp.resolve("child-stderr.log").toFile());
    Process child = builder.start();
    long last = 0;
    try (BufferedReader out =
        new BufferedReader(
            new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
      int durable = 0;
      String line;
      while ((line = out.readLine()) != null) {
        Matcher m = LINE.matcher(line);
        if (!m.matches()) {
          continue; // A line cut by the kill does not count.
        }
        long index = Long.parseLong(m.group(2));
        if (m.group(1).equals("durable")) {
          last = index;
          durable++;
        } else if (durable >= killAfter && WalAppender.entry(index).data().length > 1000) {
          // SIGKILL. Through the handle, since Process.destroyForcibly also closes our end of
          // the pipe, and the lines already in it were reported durable too.
          child.toHandle().destroyForcibly();
        }
      }
      child.waitFor();
    } finally {
      child.destroyForcibly();
    }
    assertThat(child.exitValue()).as("the child died by SIGKILL (128 + 9)").isEqualTo(137);
    return last;
  }
}
