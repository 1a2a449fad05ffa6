package io.raftwatch.raftkv.server;

import com.google.protobuf.InvalidProtocolBufferException;
import io.etcd.jetcd.api.LeaseKeepAliveRequest;
import io.etcd.jetcd.api.LeaseKeepAliveResponse;
import io.etcd.jetcd.api.LeaseTimeToLiveRequest;
import io.etcd.jetcd.api.LeaseTimeToLiveResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * The lease requests only the leader can answer, since only its lessor tracks expiry: KeepAlive
 * (renews the lease) and TimeToLive (its remaining TTL). A leader answers them itself; a follower
 * forwards them to the leader through {@link LeaderRequests}, so a client connected to any member
 * keeps its leases alive. Called from gRPC threads.
 */
public final class LeaderLeases {
  private final RaftLoop loop;
  private final KvApplier applier;
  private final LeaderRequests leader;
  private final Duration readTimeout;

  /**
   * Also registers, with {@code leader}, the answers to what followers forward here; {@code
   * readTimeout} bounds the read index behind a linearizable TimeToLive.
   */
  public LeaderLeases(
      RaftLoop loop, KvApplier applier, LeaderRequests leader, Duration readTimeout) {
    this.loop = loop;
    this.readTimeout = readTimeout;
    this.applier = applier;
    this.leader = leader;
    leader.handle(LeaderRequests.LEASE_KEEP_ALIVE, body ->
        keepAlive(parse(() -> LeaseKeepAliveRequest.parseFrom(body)).getID())
            .thenApply(LeaseKeepAliveResponse::toByteArray));
    leader.handle(LeaderRequests.LEASE_TIME_TO_LIVE, body ->
        timeToLive(parse(() -> LeaseTimeToLiveRequest.parseFrom(body)))
            .thenApply(LeaseTimeToLiveResponse::toByteArray));
  }

  /**
   * Renews lease id on the leader: its remaining TTL, 0 when unknown or expired. Fails with {@link
   * ProposalDroppedException} without a leader, {@link ForwardDroppedException} when the leader
   * cannot be reached.
   */
  public CompletableFuture<LeaseKeepAliveResponse> keepAlive(long id) {
    if (leader.leading()) {
      return loop.onLoop(() -> applier.keepAlive(id));
    }
    byte[] request = LeaseKeepAliveRequest.newBuilder().setID(id).build().toByteArray();
    return forward(LeaderRequests.LEASE_KEEP_ALIVE, request)
        .thenApply(b -> parse(() -> LeaseKeepAliveResponse.parseFrom(b)));
  }

  /** A lease's TTL as the leader knows it (linearizable); failures as {@link #keepAlive}. */
  public CompletableFuture<LeaseTimeToLiveResponse> timeToLive(LeaseTimeToLiveRequest r) {
    if (leader.leading()) {
      return loop.readIndex(readTimeout).thenCompose(x -> loop.onLoop(() -> applier.timeToLive(r)));
    }
    return forward(LeaderRequests.LEASE_TIME_TO_LIVE, r.toByteArray())
        .thenApply(b -> parse(() -> LeaseTimeToLiveResponse.parseFrom(b)));
  }

  private CompletableFuture<byte[]> forward(byte kind, byte[] request) {
    return leader.forward(kind, request).exceptionally(failure -> {
      Throwable cause = failure instanceof CompletionException c ? c.getCause() : failure;
      throw new CompletionException(cause instanceof ProposalDroppedException
          ? cause : new ForwardDroppedException());
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
