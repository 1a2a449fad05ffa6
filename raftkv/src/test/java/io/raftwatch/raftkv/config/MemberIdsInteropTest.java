package io.raftwatch.raftkv.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Member and cluster ids against the ones real etcd 3.4 (Debian's {@code etcd}) derives from the
 * same flags. Skips when etcd is missing, fails when CI=true.
 */
class MemberIdsInteropTest {
  @TempDir Path dir;

  @Test
  void idsMatchWhatRealEtcdPrints() throws Exception {
    boolean present =
        Files.isExecutable(Path.of("/usr/bin/etcd"))
            && Files.isExecutable(Path.of("/usr/bin/etcdctl"));
    if (!present && "true".equals(System.getenv("CI"))) {
      throw new AssertionError("etcd and etcdctl are required when CI=true");
    }
    assumeTrue(present, "etcd/etcdctl not installed: skipping id interop test");
    int clientPort = freePort();
    int peerPort = freePort();
    String client = "http://127.0.0.1:" + clientPort;
    String peer = "http://127.0.0.1:" + peerPort;
    String[] flags = {
      "--name",
      "idcheck",
      "--data-dir",
      dir.resolve("idcheck.etcd").toString(),
      "--listen-client-urls",
      client,
      "--advertise-client-urls",
      client,
      "--listen-peer-urls",
      peer,
      "--initial-advertise-peer-urls",
      peer,
      "--initial-cluster",
      "idcheck=" + peer,
      "--initial-cluster-token",
      "raftwatch-id-test",
    };
    List<String> cmd = new ArrayList<>(List.of("etcd"));
    cmd.addAll(List.of(flags));
    Process etcd = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    try {
      awaitReady(etcd);
      Process ctl =
          new ProcessBuilder("etcdctl", "--endpoints", client, "member", "list", "-w", "json")
              .redirectErrorStream(true)
              .start();
      String out = new String(ctl.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(ctl.waitFor(30, TimeUnit.SECONDS)).isTrue();
      JsonNode json = new ObjectMapper().readTree(out);
      long realMember = Long.parseUnsignedLong(json.get("members").get(0).get("ID").asText());
      long realCluster = Long.parseUnsignedLong(json.get("header").get("cluster_id").asText());

      EtcdConfig ours = EtcdConfig.parse(flags, Map.of());
      assertThat(Long.toHexString(ours.memberId())).isEqualTo(Long.toHexString(realMember));
      assertThat(Long.toHexString(ours.initialCluster().clusterId(ours.initialClusterToken())))
          .isEqualTo(Long.toHexString(realCluster));
    } finally {
      etcd.destroy();
      if (!etcd.waitFor(10, TimeUnit.SECONDS)) {
        etcd.destroyForcibly().waitFor();
      }
    }
  }

  @Test
  void multiUrlMemberIdIsOrderIndependent() {
    long a = MemberIds.member(List.of("http://10.0.0.1:2380", "http://10.0.0.2:2380"), "t");
    long b = MemberIds.member(List.of("http://10.0.0.2:2380", "http://10.0.0.1:2380"), "t");
    assertThat(a).isEqualTo(b);
    assertThat(MemberIds.member(List.of("http://10.0.0.1:2380"), "t")).isNotEqualTo(a);
  }

  /** Reads etcd's log until it says it serves clients; fails if it exits first. */
  private static void awaitReady(Process etcd) throws Exception {
    BufferedReader log =
        new BufferedReader(new InputStreamReader(etcd.getInputStream(), StandardCharsets.UTF_8));
    StringBuilder seen = new StringBuilder();
    for (String line; (line = log.readLine()) != null; ) {
      seen.append(line).append('\n');
      if (line.contains("ready to serve client requests")) {
        Thread drain = new Thread(() -> drain(log));
        drain.setDaemon(true);
        drain.start();
        return;
      }
    }
    throw new AssertionError("etcd exited before serving:\n" + seen);
  }

  private static void drain(BufferedReader log) {
    try {
      while (log.readLine() != null) {
        // keep etcd's pipe from filling up
      }
    } catch (java.io.IOException e) {
      // etcd stopped
    }
  }

  private static int freePort() throws Exception {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }
}
