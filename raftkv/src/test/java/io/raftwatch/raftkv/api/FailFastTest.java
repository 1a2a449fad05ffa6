package io.raftwatch.raftkv.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import io.etcd.jetcd.api.KVGrpc;
import io.etcd.jetcd.api.PutRequest;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.raftwatch.raftkv.local.InProcessTransport;
import io.raftwatch.raftkv.raft.ConfState;
import io.raftwatch.raftkv.raft.RaftNode;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Writes a follower cannot get committed fail at once with etcd's errors instead of waiting for
 * the 5 s request timeout, and count in etcd_server_proposals_failed_total: "no leader" when the
 * follower knows none, "request timed out" when its forward to the leader is dropped. A read index
 * the leader never answers fails after its bound and counts in etcd_server_slow_read_indexes_total.
 * Three members in this JVM over the in-process transport, the etcd API over gRPC.
 */
class FailFastTest {
  // Well under the 5 s request timeout: an answer this early did not wait for it.
  private static final Duration PROMPT = Duration.ofSeconds(3);

  @TempDir Path dataDir;
  private final InProcessTransport net = new InProcessTransport();
  private final ScheduledExecutorService clock = Executors.newScheduledThreadPool(1);
  private final List<ApiMember> members = new ArrayList<>();
  private ManagedChannel channel;

  @BeforeEach
  void startCluster() throws Exception {
    for (long id = 1; id <= 3; id++) {
      ApiMember m = new ApiMember(id);
      m.start(dataDir, ConfState.ofVoters(1, 2, 3), net, clock);
      members.add(m);
    }
    await("a leader known to all", () -> members.stream().anyMatch(ApiMember::leads)
        && members.stream().allMatch(m -> m.loop.status().softState().lead() != RaftNode.NONE));
  }

  @AfterEach
  void stopCluster() throws Exception {
    if (channel != null) {
      channel.shutdownNow();
    }
    for (ApiMember m : members) {
      if (m.api != null) {
        m.stop(net);
      }
    }
    clock.shutdownNow();
  }

  @Test
  void aForwardTheTransportDropsTimesOutAtOnce() throws Exception {
    ApiMember leader = members.stream().filter(ApiMember::leads).findFirst().orElseThrow();
    ApiMember follower = members.stream().filter(m -> !m.leads()).findFirst().orElseThrow();
    // The leader still reaches the followers, but nothing reaches it: forwards are dropped.
    net.detach(leader.id);
    double failedBefore = failedProposals(follower);
    StatusRuntimeException e = put(follower);
    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
    assertThat(e.getStatus().getDescription()).isEqualTo("etcdserver: request timed out");
    // At least the put; the member's own proposals (its attributes) may fail meanwhile too.
    assertThat(failedProposals(follower)).isGreaterThanOrEqualTo(failedBefore + 1);
    net.attach(leader.id, leader.loop);
  }

  @Test
  void aReadIndexTheLeaderNeverAnswersTimesOutAsASlowReadIndex() throws Exception {
    ApiMember leader = members.stream().filter(ApiMember::leads).findFirst().orElseThrow();
    ApiMember follower = members.stream().filter(m -> !m.leads()).findFirst().orElseThrow();
    net.detach(leader.id); // the follower's read index request never arrives
    CompletableFuture<Long> read = follower.loop.readIndex(Duration.ofMillis(300));
    assertThatThrownBy(() -> read.get(PROMPT.toMillis(), TimeUnit.MILLISECONDS))
        .hasCauseInstanceOf(TimeoutException.class);
    assertThat(follower.registry.getSampleValue("etcd_server_slow_read_indexes_total"))
        .isEqualTo(1.0);
    net.attach(leader.id, leader.loop);
    assertThat(follower.loop.readIndex(Duration.ofSeconds(5)).get(PROMPT.toMillis(),
        TimeUnit.MILLISECONDS)).as("a read index once the leader is back").isPositive();
  }

  @Test
  void aFollowerWithoutLeaderAnswersNoLeaderAtOnce() throws Exception {
    ApiMember survivor = members.stream().filter(m -> !m.leads()).findFirst().orElseThrow();
    for (ApiMember m : members) {
      if (m != survivor) {
        m.stop(net);
        m.api = null;
      }
    }
    await("the survivor to lose its leader",
        () -> survivor.loop.status().softState().lead() == RaftNode.NONE);
    double failedBefore = failedProposals(survivor);
    StatusRuntimeException e = put(survivor);
    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
    assertThat(e.getStatus().getDescription()).isEqualTo("etcdserver: no leader");
    assertThat(failedProposals(survivor)).isGreaterThanOrEqualTo(failedBefore + 1);
  }

  /** A put through member m that must fail, and fail well before the request timeout. */
  private StatusRuntimeException put(ApiMember m) {
    channel = NettyChannelBuilder.forTarget(m.endpoint().substring("http://".length()))
        .usePlaintext().build();
    Instant start = Instant.now();
    try {
      KVGrpc.newBlockingStub(channel).withDeadlineAfter(10, TimeUnit.SECONDS)
          .put(PutRequest.newBuilder().setKey(ByteString.copyFromUtf8("k"))
              .setValue(ByteString.copyFromUtf8("v")).build());
    } catch (StatusRuntimeException e) {
      assertThat(Duration.between(start, Instant.now())).as("time to fail").isLessThan(PROMPT);
      return e;
    }
    throw new AssertionError("the put succeeded");
  }

  private static double failedProposals(ApiMember m) {
    return m.registry.getSampleValue("etcd_server_proposals_failed_total");
  }

  private static void await(String what, java.util.function.BooleanSupplier condition)
      throws InterruptedException {
    Instant end = Instant.now().plusSeconds(15);
    while (!condition.getAsBoolean()) {
      assertThat(Instant.now()).as(what).isBefore(end);
      Thread.sleep(20);
    }
  }
}
