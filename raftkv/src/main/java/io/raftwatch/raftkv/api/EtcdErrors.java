package io.raftwatch.raftkv.api;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.raftwatch.raftkv.membership.MembershipException;
import io.raftwatch.raftkv.mvcc.CompactedException;
import io.raftwatch.raftkv.mvcc.FutureRevisionException;
import io.raftwatch.raftkv.mvcc.LeaseNotFoundException;
import io.raftwatch.raftkv.server.ForwardDroppedException;
import io.raftwatch.raftkv.server.KeyNotFoundException;
import io.raftwatch.raftkv.server.NoSpaceException;
import io.raftwatch.raftkv.server.NotLeaderException;
import io.raftwatch.raftkv.server.ProposalDroppedException;
import io.raftwatch.raftkv.server.RequestTooLargeException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeoutException;

/**
 * etcd's client-facing errors (api/v3rpc/rpctypes) with their gRPC codes and messages, and the
 * mapping of the server's exceptions to them. Called from gRPC and completion threads.
 */
final class EtcdErrors {
  static final StatusRuntimeException KEY_NOT_PROVIDED =
      error(Status.Code.INVALID_ARGUMENT, "etcdserver: key is not provided");
  static final StatusRuntimeException REQUEST_TOO_LARGE =
      error(Status.Code.INVALID_ARGUMENT, "etcdserver: request is too large");
  static final StatusRuntimeException NO_SPACE =
      error(Status.Code.RESOURCE_EXHAUSTED, "etcdserver: mvcc: database space exceeded");
  static final StatusRuntimeException NO_LEADER =
      error(Status.Code.UNAVAILABLE, "etcdserver: no leader");
  static final StatusRuntimeException TIMEOUT =
      error(Status.Code.UNAVAILABLE, "etcdserver: request timed out");
  static final StatusRuntimeException COMPACTED =
      error(Status.Code.OUT_OF_RANGE, "etcdserver: mvcc: required revision has been compacted");
  static final StatusRuntimeException FUTURE_REV =
      error(Status.Code.OUT_OF_RANGE, "etcdserver: mvcc: required revision is a future revision");
  static final StatusRuntimeException LEASE_NOT_FOUND =
      error(Status.Code.NOT_FOUND, "etcdserver: requested lease not found");
  static final StatusRuntimeException LEASE_EXISTS =
      error(Status.Code.FAILED_PRECONDITION, "etcdserver: lease already exists");
  static final StatusRuntimeException LEASE_TTL_TOO_LARGE =
      error(Status.Code.OUT_OF_RANGE, "etcdserver: too large lease TTL");
  static final StatusRuntimeException NOT_LEADER =
      error(Status.Code.UNAVAILABLE, "etcdserver: not leader");
  static final StatusRuntimeException TOO_MANY_OPS =
      error(Status.Code.INVALID_ARGUMENT, "etcdserver: too many operations in txn request");
  static final StatusRuntimeException KEY_NOT_FOUND =
      error(Status.Code.INVALID_ARGUMENT, "etcdserver: key not found");

  static final StatusRuntimeException MEMBER_NOT_FOUND =
      error(Status.Code.NOT_FOUND, "etcdserver: member not found");
  static final StatusRuntimeException MEMBER_EXISTS =
      error(Status.Code.FAILED_PRECONDITION, "etcdserver: member ID already exist");
  static final StatusRuntimeException PEER_URL_EXISTS =
      error(Status.Code.FAILED_PRECONDITION, "etcdserver: Peer URLs already exists");
  static final StatusRuntimeException MEMBER_BAD_URLS =
      error(Status.Code.INVALID_ARGUMENT, "etcdserver: given member URLs are invalid");
  static final StatusRuntimeException MEMBER_NOT_LEARNER =
      error(Status.Code.FAILED_PRECONDITION, "etcdserver: can only promote a learner member");
  static final StatusRuntimeException LEARNER_NOT_READY =
      error(Status.Code.FAILED_PRECONDITION,
          "etcdserver: can only promote a learner member which is in sync with leader");
  static final StatusRuntimeException TOO_MANY_LEARNERS =
      error(Status.Code.FAILED_PRECONDITION, "etcdserver: too many learner members in cluster");
  static final StatusRuntimeException NOT_ENOUGH_STARTED =
      error(Status.Code.FAILED_PRECONDITION,
          "etcdserver: re-configuration failed due to not enough started members");
  static final StatusRuntimeException UNHEALTHY =
      error(Status.Code.UNAVAILABLE, "etcdserver: unhealthy cluster");
  static final StatusRuntimeException BAD_LEADER_TRANSFEREE =
      error(Status.Code.FAILED_PRECONDITION, "etcdserver: bad leader transferee");

  private EtcdErrors() {}

  private static StatusRuntimeException error(Status.Code code, String message) {
    return code.toStatus().withDescription(message).asRuntimeException();
  }

  /** The etcd error a failure of the apply layer or the raft loop stands for. */
  static StatusRuntimeException of(Throwable failure) {
    Throwable t =
        failure instanceof CompletionException && failure.getCause() != null
            ? failure.getCause()
            : failure;
    if (t instanceof StatusRuntimeException s) {
      return s;
    } else if (t instanceof CompactedException) {
      return COMPACTED;
    } else if (t instanceof FutureRevisionException) {
      return FUTURE_REV;
    } else if (t instanceof LeaseNotFoundException) {
      return LEASE_NOT_FOUND;
    } else if (t instanceof KeyNotFoundException) {
      return KEY_NOT_FOUND;
    } else if (t instanceof MembershipException m) {
      return switch (m.reason()) {
        case MEMBER_NOT_FOUND -> MEMBER_NOT_FOUND;
        case MEMBER_EXISTS -> MEMBER_EXISTS;
        case PEER_URL_EXISTS -> PEER_URL_EXISTS;
        case MEMBER_NOT_LEARNER -> MEMBER_NOT_LEARNER;
        case LEARNER_NOT_READY -> LEARNER_NOT_READY;
        case TOO_MANY_LEARNERS -> TOO_MANY_LEARNERS;
        case NOT_ENOUGH_STARTED -> NOT_ENOUGH_STARTED;
        case UNHEALTHY -> UNHEALTHY;
        case BAD_URLS -> MEMBER_BAD_URLS;
      };
    } else if (t instanceof NotLeaderException) {
      return NOT_LEADER;
    } else if (t instanceof ProposalDroppedException) {
      return NO_LEADER;
    } else if (t instanceof NoSpaceException) {
      return NO_SPACE;
    } else if (t instanceof RequestTooLargeException) {
      return REQUEST_TOO_LARGE;
    } else if (t instanceof ForwardDroppedException || t instanceof TimeoutException) {
      return TIMEOUT;
    } else if (t instanceof IllegalArgumentException
        && "lease already exists".equals(t.getMessage())) {
      return LEASE_EXISTS;
    } else if (t instanceof IllegalArgumentException
        && "too large lease TTL".equals(t.getMessage())) {
      return LEASE_TTL_TOO_LARGE;
    }
    return Status.INTERNAL
        .withDescription("etcdserver: " + t.getClass().getSimpleName())
        .asRuntimeException();
  }
}
