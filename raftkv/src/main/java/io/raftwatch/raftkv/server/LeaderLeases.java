package io.raftwatch.raftkv.server;

import com.google.protobuf.InvalidProtocolBufferException;
import io.etcd.jetcd.api.LeaseKeepAliveRequest;
import io.etcd.jetcd.api.LeaseKeepAliveResponse;
import io.etcd.jetcd.api.LeaseTimeToLiveRequest;
import io.etcd.jetcd.api.LeaseTimeToLiveResponse;
import io.raftwatch.raftkv.raft.RaftNode;
import io.raftwatch.raftkv.raft.Role;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * The lease requests only the leader can answer, since only its lessor tracks expiry: KeepAlive
 * (renews the lease) and TimeToLive (its remaining TTL). A leader answers them itself; a follower
 * forwards them to the leader over the peer connection, as etcd forwards them over its peer HTTP
 * listener, so a client connected to any member keeps its leases alive. Called from gRPC threads;
 * {@link #answer} serves what followers forward to this member.
 */
public final class LeaderLeases {
  /** Carries a forwarded request to the leader and brings back its answer (the peer transport). */
  @FunctionalInterface
  public interface Forwarder {
    CompletableFuture<byte[]> forward(long leader, byte[] request);
  }

  private static final byte KEEP_ALIVE = 1;
  private static final byte TIME_TO_LIVE = 2;

  private final RaftLoop loop;
  private final KvApplier applier;
  private final Forwarder forwarder;

  public LeaderLeases(RaftLoop loop, KvApplier applier, Forwarder forwarder) {
    this.loop = loop;
    this.applier = applier;
    this.forwarder = forwarder;
  }

  /**
   * Renews lease id on the leader: its remaining TTL, 0 when unknown or expired. Fails with {@link
   * ProposalDroppedException} without a leader, {@link ForwardDroppedException} when the leader
   * cannot be reached.
   */
  public CompletableFuture<LeaseKeepAliveResponse> keepAlive(long id) {
    if (leading()) {
      return loop.onLoop(() -> applier.keepAlive(id));
    }
    byte[] request = LeaseKeepAliveRequest.newBuilder().setID(id).build().toByteArray();
    return forward(KEEP_ALIVE, request).thenApply(b -> parse(() -> LeaseKeepAliveResponse.parseFrom(b)));
  }

  /** A lease's TTL as the leader knows it (linearizable); failures as {@link #keepAlive}. */
  public CompletableFuture<LeaseTimeToLiveResponse> timeToLive(LeaseTimeToLiveRequest r) {
    if (leading()) {
      return loop.readIndex().thenCompose(x -> loop.onLoop(() -> applier.timeToLive(r)));
    }
    return forward(TIME_TO_LIVE, r.toByteArray())
        .thenApply(b -> parse(() -> LeaseTimeToLiveResponse.parseFrom(b)));
  }

  /** Answers a request a follower forwarded; fails with {@link NotLeaderException} if not leader. */
  public CompletableFuture<byte[]> answer(byte[] forwarded) {
    if (forwarded.length == 0 || !leading()) {
      return CompletableFuture.failedFuture(new NotLeaderException());
    }
    byte[] body = Arrays.copyOfRange(forwarded, 1, forwarded.length);
    return switch (forwarded[0]) {
      case KEEP_ALIVE -> keepAlive(parse(() -> LeaseKeepAliveRequest.parseFrom(body)).getID())
          .thenApply(LeaseKeepAliveResponse::toByteArray);
      case TIME_TO_LIVE -> timeToLive(parse(() -> LeaseTimeToLiveRequest.parseFrom(body)))
          .thenApply(LeaseTimeToLiveResponse::toByteArray);
      default -> CompletableFuture.failedFuture(
          new IllegalArgumentException("unknown forwarded lease request " + forwarded[0]));
    };
  }

  private boolean leading() {
    return loop.status().softState().role() == Role.LEADER;
  }

  private CompletableFuture<byte[]> forward(byte kind, byte[] body) {
    long leader = loop.status().softState().lead();
    if (leader == RaftNode.NONE) {
      return CompletableFuture.failedFuture(new ProposalDroppedException());
    }
    byte[] request = ByteBuffer.allocate(1 + body.length).put(kind).put(body).array();
    return forwarder.forward(leader, request).exceptionally(failure -> {
      throw new CompletionException(new ForwardDroppedException());
    });
  }

  private interface Parser<T> {
    T parse() throws InvalidProtocolBufferException;
  }

  private static <T> T parse(Parser<T> parser) {
    try {
      return parser.parse();
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalArgumentException("malformed forwarded lease message", e);
    }
  }
}
