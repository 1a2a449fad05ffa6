package io.raftwatch.raftkv.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.grpc.CallOptions;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.StreamObserver;
import io.prometheus.client.CollectorRegistry;
import io.raftwatch.raftkv.raft.Message;
import java.net.InetSocketAddress;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The inbound service over plain text (an {@code http://} peer URL), fed raw frames. */
class PeerServiceTest {
  private final BlockingQueue<Message> inbox = new LinkedBlockingQueue<>();
  private final CollectorRegistry registry = new CollectorRegistry();
  private PeerServer server;
  private ManagedChannel channel;

  @BeforeEach
  void start() throws Exception {
    server =
        PeerServer.start(
            new InetSocketAddress("127.0.0.1", 0),
            null,
            new PeerService(inbox::add, new PeerMetrics(registry, 1)),
            TransportOptions.defaults());
    channel = NettyChannelBuilder.forAddress("127.0.0.1", server.port()).usePlaintext().build();
  }

  @AfterEach
  void stop() throws Exception {
    channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    server.close();
  }

  @Test
  void garbageFailsTheStreamWithInvalidArgumentAndDeliversNothingAfterIt() throws Exception {
    CompletableFuture<Status> outcome = new CompletableFuture<>();
    StreamObserver<byte[]> stream =
        ClientCalls.asyncClientStreamingCall(
            channel.newCall(PeerRpc.MESSAGES, CallOptions.DEFAULT), observer(outcome));
    Message ok = new Message.Heartbeat(2, 1, 3, 4, null);
    stream.onNext(MessageCodec.encode(ok));
    stream.onNext(new byte[] {1, 42, 2, 1, 3});
    stream.onNext(MessageCodec.encode(new Message.TimeoutNow(2, 1, 3)));
    stream.onCompleted();
    Status status = outcome.get(10, TimeUnit.SECONDS);
    assertThat(status.getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
    assertThat(status.getDescription()).isEqualTo("unknown peer message type 42");
    assertThat(inbox.poll(5, TimeUnit.SECONDS)).isEqualTo(ok);
    assertThat(inbox).isEmpty();
    assertThat(
            registry.getSampleValue(
                "etcd_network_peer_received_bytes_total",
                new String[] {"From"},
                new String[] {"2"}))
        .isEqualTo(MessageCodec.encode(ok).length);
  }

  @Test
  void snapshotStreamCarryingAnotherMessageIsRefused() {
    assertThatThrownBy(
            () ->
                new SnapshotUpload(channel, java.time.Duration.ofSeconds(10))
                    .send(MessageCodec.encode(new Message.TimeoutNow(2, 1, 3))))
        .isInstanceOf(StatusRuntimeException.class)
        .hasMessageContaining("snapshot stream carried a TimeoutNow");
    assertThat(inbox).isEmpty();
  }

  private static StreamObserver<byte[]> observer(CompletableFuture<Status> outcome) {
    return new StreamObserver<>() {
      @Override
      public void onNext(byte[] value) {}

      @Override
      public void onError(Throwable t) {
        outcome.complete(Status.fromThrowable(t));
      }

      @Override
      public void onCompleted() {
        outcome.complete(Status.OK);
      }
    };
  }
}
