package io.raftwatch.raftkv.server;

import io.etcd.jetcd.api.LeaseRevokeRequest;
import io.raftwatch.raftkv.raft.Role;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The leader's lease expiry (etcd's lessor revoke loop): each run asks the applier, on the raft
 * loop thread, for the leases expired now and proposes their revocation. Whoever runs the member
 * schedules it (etcd checks every 500 ms); followers only keep their lessor demoted.
 */
public final class LeaseExpiry implements Runnable {
  private static final Logger log = LoggerFactory.getLogger(LeaseExpiry.class);

  private final RaftLoop loop;
  private final KvApplier applier;
  private final KvProposer proposer;

  public LeaseExpiry(RaftLoop loop, KvApplier applier, KvProposer proposer) {
    this.loop = loop;
    this.applier = applier;
    this.proposer = proposer;
  }

  @Override
  public void run() {
    boolean leader = loop.status().softState().role() == Role.LEADER;
    loop.onLoop(() -> applier.expiredLeases(leader)).thenAccept(this::revoke);
  }

  private void revoke(List<Long> expired) {
    for (long id : expired) {
      proposer
          .propose(LeaseRevokeRequest.newBuilder().setID(id).build())
          .whenComplete(
              (r, failure) -> {
                if (failure != null) {
                  // Retried on the next run while the lease is still there.
                  log.debug(
                      "revoking expired lease {} failed: {}",
                      Long.toHexString(id),
                      failure.toString());
                }
              });
    }
  }
}
