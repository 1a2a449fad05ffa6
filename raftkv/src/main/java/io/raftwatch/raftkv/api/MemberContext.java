package io.raftwatch.raftkv.api;

import io.etcd.jetcd.api.AlarmRequest;
import io.raftwatch.raftkv.raft.RaftNode;
import io.raftwatch.raftkv.server.KvApplier;
import io.raftwatch.raftkv.server.KvProposer;
import io.raftwatch.raftkv.server.LeaderLeases;
import io.raftwatch.raftkv.server.LeaderRequests;
import io.raftwatch.raftkv.server.RaftLoop;
import java.time.Duration;
import java.time.Clock;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.LongPredicate;

/**
 * What the gRPC services of one member need: its raft loop, apply layer and proposer, the request
 * timeout, the clock new member ids are derived from, which peers its transport reaches now
 * (etcd's strict reconfiguration checks), the leader-only lease requests, and the way to the
 * leader for other leader-only requests. Shared by the
 * services' gRPC threads.
 */
public record MemberContext(
    RaftLoop loop,
    KvApplier applier,
    KvProposer proposer,
    Duration requestTimeout,
    Clock clock,
    LongPredicate peerConnected,
    LeaderLeases leases,
    LeaderRequests leaderRequests) {

  /** etcd 3.4's health check gives its linearizable read a second. */
  private static final Duration HEALTH_READ_TIMEOUT = Duration.ofSeconds(1);

  /** Runs read on the loop thread; after a Raft read index unless serializable. */
  <T> CompletableFuture<T> read(boolean serializable, Function<KvApplier, T> read) {
    CompletableFuture<?> ready =
        serializable ? CompletableFuture.completedFuture(null) : loop.readIndex(requestTimeout);
    return ready
        .thenCompose(x -> loop.onLoop(() -> read.apply(applier)))
        .orTimeout(requestTimeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  /**
   * etcd 3.4's health check, behind {@code /health}: no alarm raised, a leader known, and a
   * linearizable read served within a second (etcd's QGET); false once that second is over.
   */
  public CompletableFuture<Boolean> health() {
    return loop.onLoop(() -> applier.alarms(AlarmRequest.getDefaultInstance()).getAlarmsCount() == 0
            && loop.status().softState().lead() != RaftNode.NONE)
        .thenCompose(ok -> ok
            ? loop.readIndex(HEALTH_READ_TIMEOUT).thenApply(index -> true)
            : CompletableFuture.completedFuture(false))
        .completeOnTimeout(false, HEALTH_READ_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** Bounds a future by the request timeout (etcd: "request timed out"). */
  <T> CompletableFuture<T> timed(CompletableFuture<T> f) {
    return f.orTimeout(requestTimeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** Proposes request and waits for its response, within the request timeout. */
  @SuppressWarnings("unchecked")
  <T extends com.google.protobuf.Message> CompletableFuture<T> write(
      com.google.protobuf.Message request) {
    return (CompletableFuture<T>)
        proposer.propose(request).orTimeout(requestTimeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** As {@link #write}, for a Put, Txn or LeaseGrant: refused with NOSPACE over the quota. */
  @SuppressWarnings("unchecked")
  <T extends com.google.protobuf.Message> CompletableFuture<T> writeWithinQuota(
      com.google.protobuf.Message request) {
    return (CompletableFuture<T>)
        proposer
            .proposeWithinQuota(request)
            .orTimeout(requestTimeout.toMillis(), TimeUnit.MILLISECONDS);
  }
}
