package io.raftwatch.raftkv.api;

import io.etcd.jetcd.api.LeaseGrantRequest;
import io.etcd.jetcd.api.LeaseGrantResponse;
import io.etcd.jetcd.api.LeaseGrpc;
import io.etcd.jetcd.api.LeaseKeepAliveRequest;
import io.etcd.jetcd.api.LeaseKeepAliveResponse;
import io.etcd.jetcd.api.LeaseRevokeRequest;
import io.etcd.jetcd.api.LeaseRevokeResponse;
import io.etcd.jetcd.api.LeaseTimeToLiveRequest;
import io.etcd.jetcd.api.LeaseTimeToLiveResponse;
import io.grpc.stub.StreamObserver;
import java.security.SecureRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * etcd's Lease service: Grant and Revoke through Raft; KeepAlive and TimeToLive on the leader's
 * lessor, forwarded there by a follower ({@link io.raftwatch.raftkv.server.LeaderLeases}). Runs on
 * gRPC's threads.
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
    LeaseGrantRequest withId =
        r.getID() != 0 ? r : r.toBuilder().setID(random.nextLong() & Long.MAX_VALUE | 1).build();
    Replies.send(member.writeWithinQuota(withId), out);
  }

  @Override
  public void leaseRevoke(LeaseRevokeRequest r, StreamObserver<LeaseRevokeResponse> out) {
    Replies.send(member.write(r), out);
  }

  @Override
  public StreamObserver<LeaseKeepAliveRequest> leaseKeepAlive(
      StreamObserver<LeaseKeepAliveResponse> out) {
    // gRPC wants one onNext at a time: answers are sent in request order under this lock.
    Object sending = new Object();
    return new StreamObserver<>() {
      @Override
      public void onNext(LeaseKeepAliveRequest r) {
        member
            .leases()
            .keepAlive(r.getID())
            .orTimeout(member.requestTimeout().toMillis(), TimeUnit.MILLISECONDS)
            .whenComplete(
                (resp, failure) -> {
                  synchronized (sending) {
                    if (failure != null) {
                      out.onError(EtcdErrors.of(failure));
                    } else {
                      out.onNext(resp);
                    }
                  }
                });
      }

      @Override
      public void onError(Throwable t) {
        // The client went away; nothing to clean up.
      }

      @Override
      public void onCompleted() {
        synchronized (sending) {
          out.onCompleted();
        }
      }
    };
  }

  @Override
  public void leaseTimeToLive(
      LeaseTimeToLiveRequest r, StreamObserver<LeaseTimeToLiveResponse> out) {
    CompletableFuture<LeaseTimeToLiveResponse> ttl = member.leases().timeToLive(r)
        .orTimeout(member.requestTimeout().toMillis(), TimeUnit.MILLISECONDS);
    Replies.send(ttl, out);
  }
}
