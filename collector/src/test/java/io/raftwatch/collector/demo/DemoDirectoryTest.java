package io.raftwatch.collector.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which directories the demo uses, resumes or refuses, and what it says when it refuses. */
class DemoDirectoryTest {
  private static final List<String> MEMBERS = List.of("m1", "m2", "m3");

  @TempDir Path tmp;

  @Test
  void aNewDirectoryGetsNineDistinctFreePortsAndRemembersThem() throws Exception {
    Path root = tmp.resolve("demo");

    DemoDirectory dir = DemoDirectory.open(root, MEMBERS, DemoDirectory.PortAllocator.LOOPBACK);

    assertThat(dir.resumed()).isFalse();
    assertThat(dir.members()).extracting(MemberPorts::name).containsExactly("m1", "m2", "m3");
    assertThat(dir.members().stream().flatMap(m -> List.of(m.client(), m.peer(), m.metrics()).stream()))
        .hasSize(9).doesNotHaveDuplicates();
    assertThat(root.resolve(DemoDirectory.STATE_FILE)).exists();
    assertThat(dir.members().get(0).clientUrl().toString()).startsWith("https://127.0.0.1:");
  }

  @Test
  void aPortAllocatorThatRepeatsItselfStillYieldsDistinctPorts() throws Exception {
    int[] next = {20000};
    DemoDirectory dir = DemoDirectory.open(tmp.resolve("demo"), MEMBERS, () -> next[0]++ / 2 * 2);

    assertThat(dir.members().stream().flatMap(m -> List.of(m.client(), m.peer(), m.metrics()).stream()))
        .containsExactly(20000, 20002, 20004, 20006, 20008, 20010, 20012, 20014, 20016);
  }

  @Test
  void aPreviousDemoIsResumedWithItsPorts() throws Exception {
    Path root = tmp.resolve("demo");
    DemoDirectory first = DemoDirectory.open(root, MEMBERS, DemoDirectory.PortAllocator.LOOPBACK);
    first.recordPid("m1", ProcessHandle.current().pid()); // alive, but not running m1's data dir

    DemoDirectory again = DemoDirectory.open(root, MEMBERS, () -> {
      throw new AssertionError("a resumed demo allocates no ports");
    });

    assertThat(again.resumed()).isTrue();
    assertThat(again.members()).isEqualTo(first.members());
  }

  @Test
  void aDirectoryWithOtherFilesIsRefused() throws Exception {
    Files.writeString(tmp.resolve("notes.txt"), "mine");

    assertThatThrownBy(() -> DemoDirectory.open(tmp, MEMBERS, DemoDirectory.PortAllocator.LOOPBACK))
        .isInstanceOf(DemoException.class)
        .hasMessage(tmp + " is not empty and holds no previous demo (no demo.properties); the demo writes "
            + "data, logs and certificates there, so pass a new or empty --dir");
    assertThat(tmp.resolve(DemoDirectory.STATE_FILE)).doesNotExist();
  }

  @Test
  void aDamagedStateFileIsRefusedNamingTheKey() throws Exception {
    Path root = tmp.resolve("demo");
    DemoDirectory.open(root, MEMBERS, DemoDirectory.PortAllocator.LOOPBACK);
    Path state = root.resolve(DemoDirectory.STATE_FILE);
    Files.writeString(state, Files.readString(state).replaceAll("m2\\.peer=\\d+", "m2.peer=twelve"));

    assertThatThrownBy(() -> DemoDirectory.open(root, MEMBERS, DemoDirectory.PortAllocator.LOOPBACK))
        .isInstanceOf(DemoException.class)
        .hasMessage(state + ": m2.peer is 'twelve', not a port; the file is damaged: remove the directory "
            + "or pass another --dir");
  }

  @Test
  void aResumedDemoWhosePortIsTakenIsRefusedNamingThePort() throws Exception {
    Path root = tmp.resolve("demo");
    DemoDirectory first = DemoDirectory.open(root, MEMBERS, DemoDirectory.PortAllocator.LOOPBACK);
    int port = first.members().get(1).metrics();

    try (ServerSocket taken = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
      assertThatThrownBy(() -> DemoDirectory.open(root, MEMBERS, DemoDirectory.PortAllocator.LOOPBACK))
          .isInstanceOf(DemoException.class)
          .hasMessage("port " + port + " (m2's metrics port in the previous demo on " + root + ") is in use now; "
              + "stop what uses it, or pass another --dir for a new cluster");
    }
  }

  @Test
  void aMemberOfThePreviousRunThatStillRunsIsRefusedWithItsPid() throws Exception {
    Path root = tmp.resolve("demo");
    DemoDirectory first = DemoDirectory.open(root, MEMBERS, DemoDirectory.PortAllocator.LOOPBACK);
    Path dataDir = first.dataDir("m3").toAbsolutePath();
    // Stands in for a member left running: a process whose arguments name m3's data dir.
    Process left = new ProcessBuilder("sh", "-c", "sleep 60", "--data-dir=" + dataDir).start();
    try {
      first.recordPid("m3", left.pid());

      assertThatThrownBy(() -> DemoDirectory.open(root, MEMBERS, DemoDirectory.PortAllocator.LOOPBACK))
          .isInstanceOf(DemoException.class)
          .hasMessage("member m3 of a previous demo on " + root + " is still running (pid " + left.pid()
              + ", data dir " + first.dataDir("m3") + "); stop that demo first (Ctrl-C, or kill " + left.pid() + ")");
    } finally {
      left.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
  }
}
