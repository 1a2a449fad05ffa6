package io.raftwatch.collector.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command line of a demo member: etcd's flags, every listener over mutual TLS. */
class RaftkvLauncherTest {
  @TempDir Path tmp;

  @Test
  void givesEachMemberEtcdsFlagsForMutualTlsOnLoopback() throws Exception {
    int[] port = {41000};
    DemoDirectory dir = DemoDirectory.open(tmp.resolve("d"), List.of("m1", "m2", "m3"), () -> port[0]++);
    DemoPki pki = DemoPki.loadOrIssue(dir.pki(), List.of("m1", "m2", "m3"), Instant.parse("2026-11-24T20:00:00Z"));
    RaftkvLauncher launcher = new RaftkvLauncher(Path.of("/usr/bin/java"), Path.of("/opt/raftkv.jar"),
        List.of("--election-timeout=500"));

    List<String> flags = launcher.flags(dir.members().get(1), dir.members(), dir, pki);

    Path d = dir.root().toAbsolutePath();
    assertThat(flags).containsExactly(
        "--name=m2",
        "--data-dir=" + d.resolve("m2.etcd"),
        "--listen-client-urls=https://127.0.0.1:41003",
        "--advertise-client-urls=https://127.0.0.1:41003",
        "--listen-peer-urls=https://127.0.0.1:41004",
        "--initial-advertise-peer-urls=https://127.0.0.1:41004",
        "--initial-cluster=m1=https://127.0.0.1:41001,m2=https://127.0.0.1:41004,m3=https://127.0.0.1:41007",
        "--initial-cluster-token=raftwatch-demo",
        "--initial-cluster-state=new",
        "--listen-metrics-urls=https://127.0.0.1:41005",
        "--cert-file=" + d.resolve("pki/m2.crt"),
        "--key-file=" + d.resolve("pki/m2.key"),
        "--trusted-ca-file=" + d.resolve("pki/ca.crt"),
        "--client-cert-auth",
        "--peer-cert-file=" + d.resolve("pki/m2.crt"),
        "--peer-key-file=" + d.resolve("pki/m2.key"),
        "--peer-trusted-ca-file=" + d.resolve("pki/ca.crt"),
        "--peer-client-cert-auth",
        "--election-timeout=500");
    assertThat(launcher.command(dir.members().get(1), dir.members(), dir, pki))
        .containsSubsequence("/usr/bin/java", "-jar", "/opt/raftkv.jar", "--name=m2")
        .endsWith(flags.toArray(String[]::new));
  }

  @Test
  void findsTheJarFromTheOptionThePropertyOrTheEnvironment() throws Exception {
    Path jar = java.nio.file.Files.writeString(tmp.resolve("raftkv.jar"), "");
    String before = System.getProperty(RaftkvLauncher.JAR_PROPERTY);
    System.clearProperty(RaftkvLauncher.JAR_PROPERTY);
    try {
      assertThat(RaftkvLauncher.findJar(Optional.of(jar), Map.of())).isEqualTo(jar);
      assertThat(RaftkvLauncher.findJar(Optional.empty(), Map.of(RaftkvLauncher.JAR_ENV, jar.toString())))
          .isEqualTo(jar);
      assertThatThrownBy(() -> RaftkvLauncher.findJar(Optional.empty(), Map.of()))
          .isInstanceOf(DemoException.class)
          .hasMessage("no raftkv jar: bin/raftwatch demo builds raftkv/target/raftkv.jar and passes it on; "
              + "run the demo through bin/raftwatch, or pass --raftkv-jar FILE");
    } finally {
      if (before != null) {
        System.setProperty(RaftkvLauncher.JAR_PROPERTY, before);
      }
    }
  }
}
