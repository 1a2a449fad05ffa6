package io.raftwatch.raftkv.transport;

import io.grpc.ServerServiceDefinition;
import io.grpc.Status;
import io.grpc.stub.ServerCalls;
import io.grpc.stub.StreamObserver;
import io.raftwatch.raftkv.raft.Message;
import java.io.ByteArrayOutputStream;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.LongPredicate;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The inbound side of the peer transport: decodes what peers send and hands each message to a
 * consumer (the raft loop's {@code deliver}). Runs on gRPC server threads; the consumer must be
 * thread-safe and must not block. A malformed message fails that stream with INVALID_ARGUMENT.
 */
public final class PeerService {
  private static final Logger log = LoggerFactory.getLogger(PeerService.class);
  private static final byte[] EMPTY = new byte[0];

  private final Consumer<Message> sink;
  private final PeerMetrics metrics;
  private final Supplier<CompletableFuture<byte[]>> members;
  private final Function<byte[], CompletableFuture<byte[]>> leaderRequests;
  private final LongPredicate removed;

  /**
   * A peer service that answers no members query and no forwarded leader request (UNIMPLEMENTED), and
   * refuses nobody.
   */
  public PeerService(Consumer<Message> sink, PeerMetrics metrics) {
    this(sink, metrics,
        () -> CompletableFuture.failedFuture(
            Status.UNIMPLEMENTED.withDescription("no member list here").asException()),
        request -> CompletableFuture.failedFuture(
            Status.UNIMPLEMENTED.withDescription("no leader requests here").asException()),
        id -> false);
  }

  /**
   * @param members the encoded member list a joining member asks for (etcd's peer {@code
   *     /members}), completed on any thread
   * @param leaderRequests answers a request a follower forwarded to this member (the leader): a
   *     {@link io.grpc.StatusException} goes back as it is, any other failure as UNAVAILABLE
   * @param removed whether the cluster removed a member: its messages are refused, which tells it
   *     to stop (any thread)
   */
  public PeerService(Consumer<Message> sink, PeerMetrics metrics,
      Supplier<CompletableFuture<byte[]>> members,
      Function<byte[], CompletableFuture<byte[]>> leaderRequests,
      LongPredicate removed) {
    this.sink = sink;
    this.metrics = metrics;
    this.members = members;
    this.leaderRequests = leaderRequests;
    this.removed = removed;
  }

  /** The service to add to a gRPC server. */
  public ServerServiceDefinition definition() {
    return ServerServiceDefinition.builder(PeerRpc.SERVICE)
        .addMethod(PeerRpc.MESSAGES, ServerCalls.asyncClientStreamingCall(this::messages))
        .addMethod(PeerRpc.SNAPSHOT, ServerCalls.asyncClientStreamingCall(this::snapshot))
        .addMethod(
            PeerRpc.PING,
            ServerCalls.asyncUnaryCall(
                (request, response) -> {
                  response.onNext(EMPTY);
                  response.onCompleted();
                }))
        .addMethod(PeerRpc.LEADER, ServerCalls.asyncUnaryCall(this::leaderRequest))
        .addMethod(
            PeerRpc.MEMBERS,
            ServerCalls.asyncUnaryCall(
                (request, response) -> members.get().whenComplete((list, failure) -> {
                  if (failure != null) {
                    response.onError(Status.fromThrowable(failure).asException());
                  } else {
                    response.onNext(list);
                    response.onCompleted();
                  }
                })))
        .build();
  }

  private void leaderRequest(byte[] request, StreamObserver<byte[]> response) {
    leaderRequests.apply(request).whenComplete((answer, failure) -> {
      if (failure != null) {
        Throwable cause = failure instanceof CompletionException c && c.getCause() != null
            ? c.getCause() : failure;
        response.onError(cause instanceof io.grpc.StatusException
            ? cause
            : Status.UNAVAILABLE.withDescription(cause.toString()).asException());
      } else {
        response.onNext(answer);
        response.onCompleted();
      }
    });
  }

  private StreamObserver<byte[]> messages(StreamObserver<byte[]> response) {
    return new StreamObserver<>() {
      private boolean failed;

      @Override
      public void onNext(byte[] frame) {
        if (failed) {
          return;
        }
        try {
          Message m = MessageCodec.decode(frame);
          if (removed.test(m.from())) {
            failed = true;
            log.info("refusing messages from removed member {}", PeerMetrics.hex(m.from()));
            response.onError(
                Status.FAILED_PRECONDITION.withDescription(PeerRpc.REMOVED).asException());
            return;
          }
          deliver(m, frame.length);
        } catch (MalformedMessageException e) {
          failed = true;
          log.warn("dropping peer stream: {}", e.getMessage());
          response.onError(Status.INVALID_ARGUMENT.withDescription(e.getMessage()).asException());
        }
      }

      @Override
      public void onError(Throwable t) {
        log.debug("peer message stream ended: {}", Status.fromThrowable(t));
      }

      @Override
      public void onCompleted() {
        if (!failed) {
          response.onNext(EMPTY);
          response.onCompleted();
        }
      }
    };
  }

  /** Collects the chunks of one snapshot message; delivers it only once the stream completes. */
  private StreamObserver<byte[]> snapshot(StreamObserver<byte[]> response) {
    return new StreamObserver<>() {
      private final ByteArrayOutputStream buffer = new ByteArrayOutputStream();

      @Override
      public void onNext(byte[] chunk) {
        buffer.writeBytes(chunk);
      }

      @Override
      public void onError(Throwable t) {
        log.info("incomplete snapshot stream dropped: {}", Status.fromThrowable(t));
      }

      @Override
      public void onCompleted() {
        try {
          byte[] frame = buffer.toByteArray();
          Message m = MessageCodec.decode(frame);
          if (!(m instanceof Message.InstallSnapshot)) {
            throw new MalformedMessageException(
                "snapshot stream carried a " + m.getClass().getSimpleName());
          }
          deliver(m, frame.length);
          response.onNext(EMPTY);
          response.onCompleted();
        } catch (MalformedMessageException e) {
          log.warn("dropping snapshot: {}", e.getMessage());
          response.onError(Status.INVALID_ARGUMENT.withDescription(e.getMessage()).asException());
        }
      }
    };
  }

  private void deliver(Message m, int bytes) {
    metrics.received(m.from(), bytes);
    sink.accept(m);
  }
}
