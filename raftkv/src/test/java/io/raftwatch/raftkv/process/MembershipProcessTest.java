package io.raftwatch.raftkv.process;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Membership and maintenance of a three-process raftkv cluster over mutual TLS, driven by the real
 * etcdctl 3.4: member list, add (as a learner), the new member started as a process with {@code
 * --initial-cluster-state existing} catching up (and again after a restart on its data dir),
 * promote (refused while it lags; asked of a follower, which forwards it to the leader), update, endpoint
 * status and health of the whole cluster, move-leader, snapshot save, and remove (refused when it
 * would leave no quorum of connected voters; a removed member stops itself), with etcd's errors.
 */
class MembershipProcessTest {
  // etcdctl prints ids with %16x: a shorter id is padded with spaces.
  private static final Pattern ADDED = Pattern.compile("Member +([0-9a-f]+) added to cluster");

  @TempDir Path dir;
  private RaftkvProcesses cluster;

  @AfterEach
  void killAll() {
    if (cluster != null) {
      cluster.close();
    }
  }

  @Test
  void membersAreAddedPromotedUpdatedAndRemovedAsWithEtcd() throws Exception {
    cluster = RaftkvProcesses.start(dir, 3, 1000);
    int leader = cluster.awaitLeader(-1);
    cluster.await("each founder's name and client URL published", () ->
        IntStream.range(0, 3).allMatch(i -> cluster.etcdctlQuiet(leader, "member", "list")
            .contains(", started, m" + i + ", " + cluster.peerUrl(i) + ", "
                + cluster.clientUrl(i) + ", false")));
    cluster.await("a first write", () ->
        cluster.etcdctlQuiet(leader, "put", "before-join", "1").contains("OK"));

    int joiner = cluster.addMember();
    String added = cluster.etcdctl(leader, "member", "add", "m3", "--learner",
        "--peer-urls=" + cluster.peerUrl(joiner));
    assertThat(added).contains("ETCD_INITIAL_CLUSTER_STATE=\"existing\"");
    Matcher m = ADDED.matcher(added);
    assertThat(m.find()).as(added).isTrue();
    String id = m.group(1);
    assertThat(cluster.etcdctl(0, "member", "list"))
        .as("an added member is unstarted and nameless until it runs, as in etcd")
        .contains(id + ", unstarted, , " + cluster.peerUrl(joiner) + ", , true");
    assertThat(cluster.etcdctlQuiet((leader + 1) % 3, "member", "promote", id))
        .as("a follower forwards the promotion to the leader and returns the leader's error")
        .contains("etcdserver: can only promote a learner member which is in sync with leader");
    assertThat(cluster.etcdctlQuiet(leader, "member", "update", memberId(0),
        "--peer-urls=" + cluster.peerUrl(1))).contains("etcdserver: Peer URLs already exists");

    cluster.startJoining(joiner);
    cluster.await("the new member caught up by log", () -> cluster.etcdctlQuiet(joiner, "get",
        "before-join", "--consistency=s", "--print-value-only").equals("1\n"));
    cluster.await("the new member published its name", () -> cluster.etcdctlQuiet(0, "member",
        "list").contains(id + ", started, m3, "));
    cluster.await("the learner promoted once in sync, through a follower", () -> cluster
        .etcdctlQuiet((cluster.leader(-1) + 1) % 3, "member", "promote", id)
        .contains(id + " promoted"));
    assertThat(cluster.etcdctl(1, "member", "list")).contains("m3, " + cluster.peerUrl(joiner)
        + ", " + cluster.clientUrl(joiner) + ", false");

    // A joined member restarts on its data dir alone: it kept the id the cluster gave it.
    cluster.kill(joiner);
    cluster.await("a write while the new member is down", () ->
        cluster.etcdctlQuiet(0, "put", "while-down", "2").contains("OK"));
    cluster.start(joiner);
    cluster.await("the restarted new member caught up", () -> cluster.etcdctlQuiet(joiner, "get",
        "while-down", "--consistency=s", "--print-value-only").equals("2\n"));

    String status = cluster.etcdctl(0, "endpoint", "status", "--cluster");
    assertThat(status.lines()).hasSize(4);
    assertThat(status.lines().filter(l -> l.contains(", true, false, ")).count())
        .as("exactly one leader, no learner: %s", status).isEqualTo(1);
    String health = cluster.etcdctl(0, "endpoint", "health", "--cluster");
    assertThat(health.lines().filter(l -> l.contains("is healthy")).count()).as(health)
        .isEqualTo(4);

    String all = IntStream.rangeClosed(0, joiner).mapToObj(cluster::clientUrl)
        .collect(Collectors.joining(","));
    // As an operator would, ask again if a transfer was given up (a slow transferee, a busy host).
    cluster.await("leadership moved to the new member", () ->
        cluster.etcdctlAt(all, "move-leader", id).contains("Leadership transferred"));
    cluster.await("the new member leads", () -> cluster.leader(-1) == joiner);
    assertThat(cluster.etcdctlAt(all, "move-leader", "123"))
        .contains("etcdserver: bad leader transferee");
    cluster.await("leadership moved back to m0", () ->
        cluster.etcdctlAt(all, "move-leader", memberId(0)).contains("Leadership transferred"));
    cluster.await("m0 leads again", () -> cluster.leader(-1) == 0);

    String extraPeerUrl = "https://127.0.0.1:1";
    assertThat(cluster.etcdctl(1, "member", "update", id,
        "--peer-urls=" + cluster.peerUrl(joiner) + "," + extraPeerUrl)).contains("updated");
    cluster.await("the update applied everywhere", () -> cluster.etcdctlQuiet(2, "member", "list")
        .contains(cluster.peerUrl(joiner) + "," + extraPeerUrl));

    Path snapshot = dir.resolve("backup.db");
    assertThat(cluster.etcdctl(1, "snapshot", "save", snapshot.toString()))
        .contains("Snapshot saved at " + snapshot);
    byte[] saved = Files.readAllBytes(snapshot);
    assertThat(saved.length % 512).as("etcd's sign of a SHA-256 trailer").isEqualTo(32);
    assertThat(MessageDigest.getInstance("SHA-256")
        .digest(Arrays.copyOf(saved, saved.length - 32)))
        .isEqualTo(Arrays.copyOfRange(saved, saved.length - 32, saved.length));
    assertThat(RaftkvProcesses.run(java.util.List.of("etcdctl", "snapshot", "status",
        snapshot.toString(), "-w", "json"))).as("etcdctl reads the file with bbolt")
        .containsPattern("\"revision\":[1-9][0-9]*,\"totalKey\":[1-9]");

    assertThat(cluster.etcdctl(0, "member", "remove", id)).contains(id + " removed");
    cluster.await("the removed member stopped itself", () -> !cluster.process(joiner).isAlive());
    assertThat(Files.readString(cluster.log(joiner)))
        .contains("the member has been permanently removed from the cluster");
    assertThat(cluster.etcdctlQuiet(0, "member", "remove", id))
        .contains("etcdserver: member not found");

    String m2 = memberId(2);
    cluster.kill(2);
    // Only once m0's transport noticed can it refuse: before that it would count m2 as active.
    cluster.await("m0 sees m2 gone", () -> cluster.metrics(0).contains(
        "etcd_network_active_peers{Local=\"" + memberId(0) + "\",Remote=\"" + m2 + "\",} 0.0"));
    assertThat(cluster.etcdctlQuiet(0, "member", "remove", memberId(1)))
        .contains("etcdserver: unhealthy cluster");
    assertThat(cluster.etcdctl(0, "member", "remove", m2))
        .as("a member that is down may go").contains("removed");
    assertThat(cluster.etcdctl(1, "member", "list").lines()).hasSize(2);
    assertThat(cluster.etcdctl(1, "put", "after-removals", "ok")).contains("OK");
  }

  /** Member i's id, from etcdctl member list. */
  private String memberId(int i) {
    return cluster.etcdctl(0, "member", "list").lines()
        .filter(l -> l.contains(", m" + i + ", "))
        .map(l -> l.substring(0, l.indexOf(',')))
        .findFirst().orElseThrow(() -> new AssertionError("no member m" + i));
  }
}
