package io.raftwatch.raftkv.server;

import com.google.protobuf.Message;
import java.security.SecureRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Proposes etcd requests through a member's {@link RaftLoop} and hands back the response its {@link
 * KvApplier} made when the entry was applied here. Called from gRPC threads.
 */
public final class KvProposer {
  private final RaftLoop loop;
  private final KvApplier applier;
  // Request ids must not repeat across restarts of this member: start from a random point.
  private final AtomicLong nextId = new AtomicLong(new SecureRandom().nextLong() & Long.MAX_VALUE);

  public KvProposer(RaftLoop loop, KvApplier applier) {
    this.loop = loop;
    this.applier = applier;
  }

  /**
   * The response to {@code request} once applied on this member; fails with the applier's error
   * (mvcc's typed exceptions, {@link KeyNotFoundException}) or {@link ProposalDroppedException}.
   */
  public CompletableFuture<Message> propose(Message request) {
    long id = nextId.getAndIncrement();
    CompletableFuture<Message> response = applier.expect(id);
    CompletableFuture<Long> proposal = loop.propose(new ProposedRequest(id, request).encode());
    proposal.whenComplete((index, failure) -> {
      if (failure != null) {
        applier.forget(id, failure);
      }
    });
    // A caller that gives up on the response (its timeout) gives up on the proposal too, so
    // neither the applier nor the raft loop keeps waiting for it.
    response.whenComplete((r, failure) -> {
      if (failure != null) {
        applier.forget(id, failure);
        proposal.completeExceptionally(failure);
      }
    });
    return response;
  }
}
