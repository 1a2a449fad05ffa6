package io.raftwatch.raftkv.api;

import io.etcd.jetcd.api.LeaseGrantRequest;
import io.etcd.jetcd.api.LeaseGrantResponse;
import io.etcd.jetcd.api.LeaseGrpc;
import io.etcd.jetcd.api.LeaseRevokeRequest;
import io.etcd.jetcd.api.LeaseRevokeResponse;
import io.etcd.jetcd.api.LeaseTimeToLiveRequest;
import io.etcd.jetcd.api.LeaseTimeToLiveResponse;
import io.grpc.stub.StreamObserver;
import java.security.SecureRandom;
import java.util.concurrent.CompletableFuture;

/**
 * etcd's Lease service: Grant and Revoke through Raft, TimeToLive as a linearizable read.
 * KeepAlive and expiry are not served yet. Runs on gRPC's threads.
 */
final class LeaseService extends LeaseGrpc.LeaseImplBase {
  private final MemberContext member;
  private final SecureRandom random = new SecureRandom();

  LeaseService(MemberContext member) {
    this.member = member;
  }

  @Override
  public void leaseGrant(LeaseGrantRequest r, StreamObserver<LeaseGrantResponse> out) {
    // The id is chosen here, before proposing, so that every member applies the same one.
    LeaseGrantRequest withId = r.getID() != 0 ? r
        : r.toBuilder().setID(random.nextLong() & Long.MAX_VALUE | 1).build();
    Replies.send(member.write(withId), out);
  }

  @Override
  public void leaseRevoke(LeaseRevokeRequest r, StreamObserver<LeaseRevokeResponse> out) {
    Replies.send(member.write(r), out);
  }

  @Override
  public void leaseTimeToLive(LeaseTimeToLiveRequest r, StreamObserver<LeaseTimeToLiveResponse> out) {
    CompletableFuture<LeaseTimeToLiveResponse> ttl = member.read(false, a -> a.timeToLive(r));
    Replies.send(ttl, out);
  }
}
