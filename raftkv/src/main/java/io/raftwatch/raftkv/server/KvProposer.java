package io.raftwatch.raftkv.server;

import com.google.protobuf.Message;
import io.etcd.jetcd.api.AlarmRequest;
import io.etcd.jetcd.api.AlarmType;
import java.security.SecureRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Proposes etcd requests through a member's {@link RaftLoop} and hands back the response its {@link
 * KvApplier} made when the entry was applied here. Enforces etcd's request limits before proposing:
 * {@code --max-request-bytes} on every proposal and, for the writes that add data, the backend
 * {@link Quota}, raising a NOSPACE alarm through Raft when it is exceeded. Called from gRPC threads.
 */
public final class KvProposer {
  private static final Logger log = LoggerFactory.getLogger(KvProposer.class);

  private final RaftLoop loop;
  private final KvApplier applier;
  private final long memberId;
  private final long maxRequestBytes;
  private final Quota quota;
  // Request ids must not repeat across restarts of this member: start from a random point.
  private final AtomicLong nextId = new AtomicLong(new SecureRandom().nextLong() & Long.MAX_VALUE);

  /**
   * @param maxRequestBytes {@code --max-request-bytes}: the largest encoded proposal accepted
   * @param quota the backend quota checked by {@link #proposeWithinQuota}
   */
  public KvProposer(RaftLoop loop, KvApplier applier, long memberId, long maxRequestBytes,
      Quota quota) {
    this.loop = loop;
    this.applier = applier;
    this.memberId = memberId;
    this.maxRequestBytes = maxRequestBytes;
    this.quota = quota;
  }

  /**
   * The response to {@code request} once applied on this member; fails with the applier's error
   * (mvcc's typed exceptions, {@link KeyNotFoundException}, {@link NoSpaceException}), {@link
   * RequestTooLargeException}, {@link ProposalDroppedException} or {@link
   * ForwardDroppedException}.
   */
  public CompletableFuture<Message> propose(Message request) {
    long id = nextId.getAndIncrement();
    byte[] command = new ProposedRequest(id, request).encode();
    if (command.length > maxRequestBytes) {
      return CompletableFuture.failedFuture(
          new RequestTooLargeException(command.length, maxRequestBytes));
    }
    CompletableFuture<Message> response = applier.expect(id);
    CompletableFuture<Long> proposal = loop.propose(command);
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

  /**
   * A client's Put, Txn or LeaseGrant: proposed while the backend has room for it; otherwise this
   * member raises a NOSPACE alarm through Raft and the request fails with {@link NoSpaceException},
   * as etcd's quota servers do.
   */
  public CompletableFuture<Message> proposeWithinQuota(Message request) {
    if (quota.available(request)) {
      return propose(request);
    }
    log.warn("backend size {} plus the request exceeds the quota of {} bytes; raising NOSPACE",
        applier.backendSize(), quota.bytes());
    AlarmRequest alarm = AlarmRequest.newBuilder()
        .setAction(AlarmRequest.AlarmAction.ACTIVATE)
        .setMemberID(memberId)
        .setAlarm(AlarmType.NOSPACE)
        .build();
    return propose(alarm).handle((r, failure) -> {
      throw new NoSpaceException();
    });
  }
}
