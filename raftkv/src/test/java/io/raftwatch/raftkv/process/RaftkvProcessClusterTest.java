package io.raftwatch.raftkv.process;

import static org.assertj.core.api.Assertions.assertThat;

import io.raftwatch.raftkv.EtcdScrapes;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three raftkv processes started with etcd's flags, every client, peer and metrics connection over
 * mutual TLS, driven by the real etcdctl and curl: a client without a certificate is refused, the
 * client port serves etcd's HTTP endpoints beside gRPC, writes on one member are
 * read on another, lease keep-alive and TimeToLive through a follower reach the leader's lessor, the leader killed with SIGKILL is replaced within twice the election timeout
 * and, restarted on its data dir, catches up. End-to-end: waits for conditions with deadlines.
 */
class RaftkvProcessClusterTest {
  private static final int ELECTION_MILLIS = 1000;

  @TempDir Path dir;
  private RaftkvProcesses cluster;

  @AfterEach
  void killAll() {
    if (cluster != null) {
      cluster.close();
    }
  }

  @Test
  void clusterServesEtcdctlAndSurvivesLeaderKill() throws Exception {
    cluster = RaftkvProcesses.start(dir, 3, ELECTION_MILLIS);
    int leader = cluster.awaitLeader(-1);
    // Like any etcd client, retry a write that timed out: a proposal a follower forwards while
    // its first peer connection is still being set up can be dropped.
    cluster.await("a write through a follower", () ->
        cluster.etcdctlQuiet((leader + 1) % 3, "put", "greeting", "hello").contains("OK"));
    assertThat(cluster.etcdctl((leader + 2) % 3, "get", "greeting")).isEqualTo("greeting\nhello\n");
    // Only the leader's lessor knows expiry: a follower forwards keep-alives and TimeToLive to it
    // over the peer connection (gRPC, mutual TLS), as etcd forwards them over its peer listener.
    int follower = (leader + 1) % 3;
    Matcher granted = Pattern.compile("lease ([0-9a-f]+) granted with TTL\\(60s\\)")
        .matcher(cluster.etcdctl(follower, "lease", "grant", "60"));
    assertThat(granted.find()).isTrue();
    String lease = granted.group(1);
    cluster.etcdctl(follower, "put", "leased", "v", "--lease=" + lease);
    assertThat(cluster.etcdctl(follower, "lease", "keep-alive", "--once", lease))
        .contains("lease " + lease + " keepalived with TTL(60)");
    assertThat(cluster.etcdctl(follower, "lease", "timetolive", lease, "--keys"))
        .containsPattern("lease " + lease + " granted with TTL\\(60s\\), remaining\\(\\d+s\\),"
            + " attached keys\\(\\[leased\\]\\)");
    assertThat(RaftkvProcesses.run(List.of("etcdctl", "--endpoints=" + cluster.clientUrl(0),
        "--cacert=" + cluster.caCert(), "--command-timeout=3s", "get", "greeting")))
        .as("a client without a certificate").contains("Error");
    // etcd's HTTP endpoints share the client port with gRPC, over the same mutual TLS.
    String clientPort = cluster.clientUrl(follower);
    assertThat(cluster.curl(clientPort + "/health", "-w", "\n%{http_code} %{http_version}"))
        .isEqualTo("{\"health\":\"true\"}\n200 2");
    assertThat(cluster.curl(clientPort + "/version"))
        .isEqualTo("{\"etcdserver\":\"3.4.23\",\"etcdcluster\":\"3.4.0\"}");
    assertThat(cluster.curl(clientPort + "/metrics")).contains("etcd_server_has_leader 1.0");
    assertThat(cluster.curl(clientPort + "/health", "--http1.1", "-w", " %{http_version}"))
        .as("over HTTP/1.1 as well as HTTP/2").isEqualTo("{\"health\":\"true\"} 1.1");
    assertThat(RaftkvProcesses.run(List.of("curl", "-s", "--max-time", "2",
        "--cacert", cluster.caCert().toString(), clientPort + "/health")))
        .as("/health without a client certificate").isEmpty();
    String served = cluster.metrics((leader + 1) % 3);
    assertThat(served).containsPattern("grpc_server_handled_total\\{grpc_code=\"OK\",grpc_method="
        + "\"Put\",grpc_service=\"etcdserverpb.KV\",grpc_type=\"unary\",} [1-9]")
        .containsPattern("etcd_network_client_grpc_received_bytes_total [1-9]")
        .contains("grpc_code=\"Unavailable\",grpc_method=\"Txn\"");
    // Every family a member exposes is one etcd 3.4 exposes, with etcd's type; the real scrape
    // lacks only the peer send failures, a series etcd creates on the first failure.
    Set<String> etcdTypes = new HashSet<>(typeLines(
        Files.readString(EtcdScrapes.file("member-1-extensive.prom"))));
    etcdTypes.add("# TYPE etcd_network_peer_sent_failures_total counter");
    assertThat(typeLines(served)).hasSizeGreaterThan(40).isSubsetOf(etcdTypes);

    long killedAt = cluster.kill(leader);
    int next = cluster.awaitLeader(leader);
    long electedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - killedAt);
    System.out.println("new leader m" + next + " " + electedMillis + " ms after the kill");
    cluster.await("a write to the new leader", () ->
        cluster.etcdctlQuiet(next, "put", "after-failover", "yes").contains("OK"));

    cluster.start(leader);
    cluster.await("the restarted member has the write made while it was down", () ->
        cluster.etcdctlQuiet(leader, "get", "after-failover", "--consistency=s").contains("yes"));
    cluster.await("the restarted member reports a leader", () ->
        cluster.metrics(leader).contains("etcd_server_has_leader 1.0"));
  }

  private static List<String> typeLines(String scrape) {
    return scrape.lines().filter(l -> l.startsWith("# TYPE ")).toList();
  }
}
