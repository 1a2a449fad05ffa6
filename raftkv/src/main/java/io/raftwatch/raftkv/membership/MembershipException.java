package io.raftwatch.raftkv.membership;

/**
 * A requested membership change that etcd would refuse; the {@link Reason} maps to etcd's gRPC
 * error in the API layer.
 */
public final class MembershipException extends RuntimeException {
  /** etcd's reasons to refuse a change (membership and etcdserver errors). */
  public enum Reason {
    MEMBER_NOT_FOUND,
    MEMBER_EXISTS,
    PEER_URL_EXISTS,
    MEMBER_NOT_LEARNER,
    LEARNER_NOT_READY,
    TOO_MANY_LEARNERS,
    NOT_ENOUGH_STARTED,
    UNHEALTHY,
    BAD_URLS
  }

  private final Reason reason;

  public MembershipException(Reason reason, String detail) {
    super(reason + ": " + detail);
    this.reason = reason;
  }

  public Reason reason() {
    return reason;
  }
}
