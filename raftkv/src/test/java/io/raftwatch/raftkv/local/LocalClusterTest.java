package io.raftwatch.raftkv.local;

import static org.assertj.core.api.Assertions.assertThat;

import io.raftwatch.raftkv.raft.ConfState;
import io.raftwatch.raftkv.raft.Role;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The raft loop, WAL, snapshots and recovery working together: three members on real threads
 * and real disks (in-process transport), with a leader stopped abruptly and restarted on its
 * data. End-to-end, so it waits for conditions, always with a deadline.
 */
class LocalClusterTest {
  private static final Duration DEADLINE = Duration.ofSeconds(20);
  private static final ConfState CLUSTER = ConfState.ofVoters(1, 2, 3);

  @TempDir Path dataDir;
  private final InProcessTransport net = new InProcessTransport();
  private final ScheduledExecutorService clock = Executors.newScheduledThreadPool(1);
  private final List<LocalMember> members = new ArrayList<>();

  @AfterEach
  void stopAll() throws Exception {
    for (LocalMember m : members) {
      if (m.running()) {
        m.stop(net);
      }
    }
    clock.shutdownNow();
  }

  @Test
  void acknowledgedWritesSurviveLeaderCrashAndRestartFromDisk() throws Exception {
    // Small snapshot count: the run crosses several snapshots and WAL releases.
    LocalMember.Timing timing = new LocalMember.Timing(20, 200, 25);
    for (long id = 1; id <= 3; id++) {
      LocalMember m = new LocalMember(id, dataDir, timing);
      m.start(CLUSTER, net, clock);
      members.add(m);
    }
    LocalMember leader = awaitLeader();
    writeAll(leader, 0, 100);

    leader.stop(net);
    LocalMember next = awaitLeader();
    assertThat(next).isNotSameAs(leader);
    writeAll(next, 100, 200);

    leader.start(CLUSTER, net, clock);
    await("the restarted member catches up", () -> leader.stateMachine.size() == 200);
    for (LocalMember m : members) {
      await("member " + m.id + " has every key", () -> m.stateMachine.size() == 200);
      assertThat(m.stateMachine.get("k199")).isEqualTo("v199");
      assertThat(m.stateMachine.get("k0")).isEqualTo("v0");
    }
    assertThat(dataDir.resolve("member-1/snap").toFile().list()).isNotEmpty();
  }

  @Test
  void aProposalTheCallerGaveUpOnIsNoLongerPendingAndCountsAsFailed() throws Exception {
    LocalMember.Timing timing = new LocalMember.Timing(20, 200, 10_000);
    for (long id = 1; id <= 3; id++) {
      LocalMember m = new LocalMember(id, dataDir, timing);
      m.start(CLUSTER, net, clock);
      members.add(m);
    }
    LocalMember leader = awaitLeader();
    writeAll(leader, 0, 1);
    for (LocalMember m : members) {
      if (m != leader) {
        m.stop(net); // the leader keeps its role for an election timeout but cannot commit
      }
    }
    CompletableFuture<Long> stuck = leader.loop.propose("k=never".getBytes(StandardCharsets.UTF_8));
    assertThat(stuck.orTimeout(50, TimeUnit.MILLISECONDS))
        .failsWithin(DEADLINE).withThrowableOfType(java.util.concurrent.ExecutionException.class)
        .withCauseInstanceOf(java.util.concurrent.TimeoutException.class);
    await("the pending gauge back at 0 and the failure counted", () ->
        gauge(leader, "etcd_server_proposals_pending") == 0
            && gauge(leader, "etcd_server_proposals_failed_total") == 1);
  }

  private static double gauge(LocalMember m, String name) {
    Double v = m.registry.getSampleValue(name);
    return v == null ? Double.NaN : v;
  }

  private void writeAll(LocalMember via, int from, int to) throws Exception {
    List<CompletableFuture<Long>> acks = new ArrayList<>();
    for (int i = from; i < to; i++) {
      acks.add(via.loop.propose(("k" + i + "=v" + i).getBytes(StandardCharsets.UTF_8)));
    }
    CompletableFuture.allOf(acks.toArray(CompletableFuture[]::new))
        .get(DEADLINE.toSeconds(), TimeUnit.SECONDS);
  }

  private LocalMember awaitLeader() throws InterruptedException {
    LocalMember[] found = new LocalMember[1];
    await("a leader", () -> {
      for (LocalMember m : members) {
        if (m.running() && m.loop.status().softState().role() == Role.LEADER) {
          found[0] = m;
          return true;
        }
      }
      return false;
    });
    return found[0];
  }

  private static void await(String what, BooleanSupplier condition) throws InterruptedException {
    long end = System.nanoTime() + DEADLINE.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > end) {
        throw new AssertionError("no " + what + " within " + DEADLINE);
      }
      Thread.sleep(10);
    }
  }
}
