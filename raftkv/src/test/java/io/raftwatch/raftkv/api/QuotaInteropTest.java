package io.raftwatch.raftkv.api;

import com.google.protobuf.ByteString;
import static org.assertj.core.api.Assertions.assertThat;

import io.etcd.jetcd.api.KVGrpc;
import io.etcd.jetcd.api.DeleteRangeRequest;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.raftwatch.raftkv.local.InProcessTransport;
import io.raftwatch.raftkv.raft.ConfState;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The backend quota and the request size limit with the real etcdctl 3.4 against a three-member
 * cluster in this JVM whose quota is 64 KiB: writes past it raise NOSPACE through Raft, after which
 * puts and lease grants fail while reads and deletes work, until compaction, defragmentation and
 * {@code alarm disarm}. Skips without etcdctl, fails then when CI=true.
 */
class QuotaInteropTest {
  private static final long QUOTA = 64 * 1024;

  @TempDir Path dataDir;
  private final InProcessTransport net = new InProcessTransport();
  private final ScheduledExecutorService clock = Executors.newScheduledThreadPool(1);
  private final List<ApiMember> members = new ArrayList<>();
  private ApiMember followerMember;
  private Etcdctl follower;
  private Etcdctl all;

  @BeforeEach
  void startCluster() throws Exception {
    Etcdctl.requireInstalled();
    for (long id = 1; id <= 3; id++) {
      ApiMember m = new ApiMember(id);
      m.quotaBytes = QUOTA;
      m.start(dataDir, ConfState.ofVoters(1, 2, 3), net, clock);
      members.add(m);
    }
    Instant end = Instant.now().plusSeconds(10);
    while (members.stream().noneMatch(ApiMember::leads)) {
      assertThat(Instant.now()).as("a leader within 10 s").isBefore(end);
      Thread.sleep(20);
    }
    followerMember = members.stream().filter(m -> !m.leads()).findFirst().orElseThrow();
    follower = new Etcdctl(followerMember.endpoint());
    all = new Etcdctl(String.join(",", members.stream().map(ApiMember::endpoint).toList()));
  }

  @AfterEach
  void stopCluster() throws Exception {
    for (ApiMember m : members) {
      m.stop(net);
    }
    clock.shutdownNow();
  }

  @Test
  void writesPastTheQuotaRaiseNospaceUntilCompactDefragAndDisarm() throws Exception {
    String value = "v".repeat(4096);
    String failure = "";
    for (int i = 0; i < 100 && failure.isEmpty(); i++) {
      Etcdctl.Result r = follower.run("put", "big" + (i % 8), value);
      if (r.exit() != 0) {
        failure = r.output();
      }
      Thread.sleep(120); // the quota sees the backend size as of its last commit (every 100 ms)
    }
    assertThat(failure).contains("etcdserver: mvcc: database space exceeded");
    assertThat(follower.ok("alarm", "list"))
        .isEqualTo("memberID:" + followerMember.id + " alarm:NOSPACE \n"); // etcdctl's spacing
    // Every member applied the alarm: writes through any of them fail, reads and deletes work.
    assertThat(new Etcdctl(members.get(0).endpoint()).run("put", "small", "x").output())
        .contains("etcdserver: mvcc: database space exceeded");
    assertThat(all.run("lease", "grant", "60").output())
        .contains("etcdserver: mvcc: database space exceeded");
    assertThat(follower.ok("get", "big0", "--print-value-only")).isEqualTo(value + "\n");
    follower.ok("del", "big", "--prefix");
    assertThat(follower.ok("endpoint", "status", "-w", "table")).contains("alarm:NOSPACE");

    String revision = follower.ok("get", "x", "-w", "fields").lines()
        .filter(l -> l.startsWith("\"Revision\""))
        .map(l -> l.replaceAll("\\D", "")).findFirst().orElseThrow();
    follower.ok("compact", revision);
    all.ok("defrag");
    assertThat(follower.ok("alarm", "disarm")).contains("alarm:NOSPACE");
    assertThat(follower.ok("alarm", "list")).isEmpty();
    Thread.sleep(200); // the sizes after defragmentation are seen by the quota
    assertThat(follower.ok("put", "small", "x")).isEqualTo("OK\n");
  }

  @Test
  void requestsAboveMaxRequestBytesAreRefusedAsEtcdDoes() throws Exception {
    ManagedChannel ch = NettyChannelBuilder.forTarget(followerMember.endpoint().substring(7))
        .usePlaintext().build();
    try {
      KVGrpc.KVBlockingStub kv = KVGrpc.newBlockingStub(ch);
      // A delete, since a put that large would first be refused by the 64 KiB quota, as in etcd.
      StatusRuntimeException tooLarge = delete(kv, ApiMember.MAX_REQUEST_BYTES + 1);
      assertThat(tooLarge.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
      assertThat(tooLarge.getStatus().getDescription()).isEqualTo("etcdserver: request is too large");
      // Beyond max-request-bytes plus etcd's 512 KiB of overhead, gRPC refuses the message itself.
      StatusRuntimeException tooLargeForGrpc = delete(kv, ApiMember.MAX_REQUEST_BYTES + 600 * 1024);
      assertThat(tooLargeForGrpc.getStatus().getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
    } finally {
      ch.shutdownNow();
    }
  }

  private static StatusRuntimeException delete(KVGrpc.KVBlockingStub kv, int keyBytes) {
    try {
      kv.withDeadlineAfter(10, TimeUnit.SECONDS).deleteRange(DeleteRangeRequest.newBuilder()
          .setKey(ByteString.copyFrom(new byte[keyBytes]))
          .build());
    } catch (StatusRuntimeException e) {
      return e;
    }
    throw new AssertionError("a delete of a " + keyBytes + "-byte key was accepted");
  }
}
