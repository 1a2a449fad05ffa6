package io.raftwatch.raftkv.server;

import io.raftwatch.raftkv.raft.RaftNode;
import io.raftwatch.raftkv.raft.Role;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * Requests only the leader can answer, carried there from a follower over the peer connection, as
 * etcd forwards them over its peer HTTP listener: lease KeepAlive and TimeToLive (only the
 * leader's lessor tracks expiry) and MemberPromote (only the leader knows whether a learner
 * caught up). A forwarded request is one byte naming its kind, then the request; each kind's
 * handler is registered by the service that owns it. Called from any thread.
 */
public final class LeaderRequests {
  public static final byte LEASE_KEEP_ALIVE = 1;
  public static final byte LEASE_TIME_TO_LIVE = 2;
  public static final byte MEMBER_PROMOTE = 3;

  /** Carries a forwarded request to the leader and brings back its answer (the peer transport). */
  @FunctionalInterface
  public interface Forwarder {
    CompletableFuture<byte[]> forward(long leader, byte[] request);
  }

  private final RaftLoop loop;
  private final Forwarder forwarder;
  private final Map<Byte, Function<byte[], CompletableFuture<byte[]>>> handlers =
      new ConcurrentHashMap<>();

  public LeaderRequests(RaftLoop loop, Forwarder forwarder) {
    this.loop = loop;
    this.forwarder = forwarder;
  }

  /** Whether this member leads now, and so answers leader-only requests itself. */
  public boolean leading() {
    return loop.status().softState().role() == Role.LEADER;
  }

  /** Answers forwarded requests of {@code kind} on this member, once it leads. */
  public void handle(byte kind, Function<byte[], CompletableFuture<byte[]>> handler) {
    handlers.put(kind, handler);
  }

  /**
   * Sends {@code request} of {@code kind} to the leader; fails with {@link
   * ProposalDroppedException} when no leader is known, and otherwise as the transport or the
   * leader's handler failed.
   */
  public CompletableFuture<byte[]> forward(byte kind, byte[] request) {
    long leader = loop.status().softState().lead();
    if (leader == RaftNode.NONE) {
      return CompletableFuture.failedFuture(new ProposalDroppedException());
    }
    return forwarder.forward(leader,
        ByteBuffer.allocate(1 + request.length).put(kind).put(request).array());
  }

  /** Answers a request a follower forwarded; fails with {@link NotLeaderException} if not leader. */
  public CompletableFuture<byte[]> answer(byte[] forwarded) {
    if (forwarded.length == 0 || !leading()) {
      return CompletableFuture.failedFuture(new NotLeaderException());
    }
    Function<byte[], CompletableFuture<byte[]>> handler = handlers.get(forwarded[0]);
    if (handler == null) {
      return CompletableFuture.failedFuture(
          new IllegalArgumentException("unknown forwarded request kind " + forwarded[0]));
    }
    return handler.apply(Arrays.copyOfRange(forwarded, 1, forwarded.length));
  }
}
