package io.raftwatch.raftkv.mvcc;

/**
 * A put named, or a lease call addressed, a lease the lessor does not hold (etcd lease {@code
 * ErrLeaseNotFound}). The message carries the lease id in hex, as etcd logs it.
 */
public final class LeaseNotFoundException extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final long leaseId;

  public LeaseNotFoundException(long leaseId) {
    super("lease not found: " + Long.toHexString(leaseId));
    this.leaseId = leaseId;
  }

  public long leaseId() {
    return leaseId;
  }
}
