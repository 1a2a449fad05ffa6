package io.raftwatch.raftkv.process;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.etcd.jetcd.api.KVGrpc;
import io.etcd.jetcd.api.PutRequest;
import io.grpc.ManagedChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A member added after the cluster compacted its log cannot catch up by log: the leader sends it a
 * snapshot over the peer connection (gRPC, mutual TLS), and it serves every key from it. Three
 * processes with {@code --snapshot-count=1000}; past that count and the 5000 entries kept for slow
 * followers, the log no longer starts at the first entry.
 */
class SnapshotCatchUpProcessTest {
  private static final int KEYS = 7000;
  private static final int WRITERS = 8;

  @TempDir Path dir;
  private RaftkvProcesses cluster;

  @AfterEach
  void stop() {
    if (cluster != null) {
      cluster.close();
    }
  }

  @Test
  void memberAddedAfterCompactionCatchesUpFromASnapshot() throws Exception {
    cluster = RaftkvProcesses.start(dir, 3, 1000, "--snapshot-count=1000");
    int leader = cluster.awaitLeader(-1);
    writeKeys(leader);

    int joiner = cluster.addMember();
    assertThat(cluster.etcdctl(leader, "member", "add", "m3", "--learner",
        "--peer-urls=" + cluster.peerUrl(joiner))).contains("added to cluster");
    cluster.startJoining(joiner);
    cluster.await("the new member serves the first and the last key", () ->
        cluster.etcdctlQuiet(joiner, "get", "bulk/0", "--consistency=s", "--print-value-only")
            .equals("v0\n")
        && cluster.etcdctlQuiet(joiner, "get", "bulk/" + (KEYS - 1), "--consistency=s",
            "--print-value-only").equals("v" + (KEYS - 1) + "\n"));

    assertThat(Files.readString(cluster.log(joiner)))
        .as("the new member's log: it got a snapshot, since the log no longer starts at entry 1")
        .contains("applied the leader's snapshot at index ");
    assertThat(cluster.etcdctl(joiner, "get", "bulk/", "--prefix", "--keys-only",
        "--consistency=s").lines().filter(l -> !l.isEmpty()).count()).isEqualTo(KEYS);
  }

  /** KEYS distinct puts through the leader's client URL from WRITERS threads. */
  private void writeKeys(int leader) throws Exception {
    ManagedChannel channel = cluster.grpc(leader);
    try {
      KVGrpc.KVBlockingStub kv = KVGrpc.newBlockingStub(channel);
      AtomicInteger next = new AtomicInteger();
      List<Thread> writers = new ArrayList<>();
      List<Throwable> failures = new ArrayList<>();
      for (int w = 0; w < WRITERS; w++) {
        Thread t = new Thread(() -> {
          for (int i; (i = next.getAndIncrement()) < KEYS; ) {
            try {
              kv.withDeadlineAfter(10, TimeUnit.SECONDS).put(PutRequest.newBuilder()
                  .setKey(ByteString.copyFromUtf8("bulk/" + i))
                  .setValue(ByteString.copyFromUtf8("v" + i)).build());
            } catch (RuntimeException e) {
              synchronized (failures) {
                failures.add(e);
              }
              return;
            }
          }
        });
        t.start();
        writers.add(t);
      }
      for (Thread t : writers) {
        t.join();
      }
      assertThat(failures).as("puts before the new member joins").isEmpty();
    } finally {
      channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
  }
}
