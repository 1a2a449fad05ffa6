package io.raftwatch.raftkv.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import io.etcd.jetcd.api.KVGrpc;
import io.etcd.jetcd.api.LeaseGrpc;
import io.etcd.jetcd.api.LeaseRevokeRequest;
import io.etcd.jetcd.api.PutRequest;
import io.etcd.jetcd.api.RangeRequest;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.raftwatch.raftkv.local.InProcessTransport;
import io.raftwatch.raftkv.raft.ConfState;
import java.nio.file.Path;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * etcd's error codes and messages as a gRPC client sees them, from the one running member of a
 * three-member cluster (so it never has a leader) and over jetcd-grpc's blocking stubs.
 */
class EtcdErrorsOverGrpcTest {
  @TempDir Path dataDir;
  private final InProcessTransport net = new InProcessTransport();
  private final ScheduledExecutorService clock = Executors.newScheduledThreadPool(1);
  private final ApiMember member = new ApiMember(1);
  private ManagedChannel channel;

  @AfterEach
  void stop() throws Exception {
    channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    member.stop(net);
    clock.shutdownNow();
  }

  private void startAlone() throws Exception {
    member.start(dataDir, ConfState.ofVoters(1, 2, 3), net, clock);
    channel = NettyChannelBuilder.forAddress("127.0.0.1", member.api.port()).usePlaintext().build();
  }

  private static void assertEtcdError(ThrowingCallable call, Status.Code code, String message) {
    assertThatThrownBy(call)
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            e -> {
              assertThat(e.getStatus().getCode()).isEqualTo(code);
              assertThat(e.getStatus().getDescription()).isEqualTo(message);
            });
  }

  @Test
  void requestsFailWithEtcdsCodesAndMessages() throws Exception {
    startAlone();
    KVGrpc.KVBlockingStub kv = KVGrpc.newBlockingStub(channel);
    ByteString key = ByteString.copyFromUtf8("k");

    assertEtcdError(
        () -> kv.put(PutRequest.newBuilder().setValue(key).build()),
        Status.Code.INVALID_ARGUMENT,
        "etcdserver: key is not provided");
    assertEtcdError(
        () -> kv.range(RangeRequest.getDefaultInstance()),
        Status.Code.INVALID_ARGUMENT,
        "etcdserver: key is not provided");
    assertEtcdError(
        () ->
            kv.put(
                PutRequest.newBuilder()
                    .setKey(key)
                    .setValue(ByteString.copyFrom(new byte[ApiMember.MAX_REQUEST_BYTES + 1]))
                    .build()),
        Status.Code.INVALID_ARGUMENT,
        "etcdserver: request is too large");
    assertEtcdError(
        () -> kv.put(PutRequest.newBuilder().setKey(key).build()),
        Status.Code.UNAVAILABLE,
        "etcdserver: no leader");
    assertEtcdError(
        () ->
            LeaseGrpc.newBlockingStub(channel)
                .leaseRevoke(LeaseRevokeRequest.newBuilder().setID(1).build()),
        Status.Code.UNAVAILABLE,
        "etcdserver: no leader");

    io.etcd.jetcd.api.TxnRequest.Builder big = io.etcd.jetcd.api.TxnRequest.newBuilder();
    for (int i = 0; i <= KvService.MAX_TXN_OPS; i++) {
      big.addSuccess(
          io.etcd.jetcd.api.RequestOp.newBuilder()
              .setRequestPut(PutRequest.newBuilder().setKey(key)));
    }
    assertEtcdError(
        () -> kv.txn(big.build()),
        Status.Code.INVALID_ARGUMENT,
        "etcdserver: too many operations in txn request");

    // A serializable read needs no leader: it is served from this member's store.
    assertThat(
            kv.range(RangeRequest.newBuilder().setKey(key).setSerializable(true).build())
                .getCount())
        .isZero();
  }
}
