package io.raftwatch.raftkv.process;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code etcdctl check perf --load=s} (the real etcdctl 3.4: 60 s of puts from 50 clients at 150
 * writes/s, passing on throughput, the slowest request under 0.5 s and the standard deviation
 * under 0.1 s) against a three-process raftkv cluster over mutual TLS, started with bin/raftkv's
 * JVM flags. It takes a minute; the slowest request has been 0.12-0.24 s on a 2-core machine.
 */
class CheckPerfProcessTest {
  @TempDir Path dir;

  @Test
  void checkPerfWithTheSmallLoadPasses() throws Exception {
    try (RaftkvProcesses cluster = RaftkvProcesses.start(dir, 3, 1000)) {
      String endpoints = IntStream.range(0, 3).mapToObj(cluster::clientUrl)
          .collect(Collectors.joining(","));
      String out = cluster.etcdctlAt(endpoints, "check", "perf", "--load=s");
      // The progress bar redraws itself with carriage returns: keep the verdict lines.
      String verdict = Arrays.stream(out.split("[\r\n]+"))
          .filter(l -> !l.isBlank() && !l.contains(" / 60 "))
          .collect(Collectors.joining("\n"));
      System.out.println("etcdctl check perf --load=s against raftkv:\n" + verdict);
      assertThat(verdict)
          .contains("PASS: Throughput is")
          .contains("PASS: Slowest request took")
          .contains("PASS: Stddev is")
          .endsWith("PASS");
    }
  }
}
