package io.raftwatch.raftkv.api;

import io.etcd.jetcd.api.MaintenanceGrpc;
import io.etcd.jetcd.api.StatusRequest;
import io.etcd.jetcd.api.StatusResponse;
import io.grpc.stub.StreamObserver;
import io.raftwatch.raftkv.raft.Status;

/** etcd's Maintenance service, Status only: read on the raft loop thread. gRPC threads. */
final class MaintenanceService extends MaintenanceGrpc.MaintenanceImplBase {
  // The etcd release whose API this member speaks, as etcdctl endpoint status shows it.
  static final String VERSION = "3.4.0";

  private final MemberContext member;

  MaintenanceService(MemberContext member) {
    this.member = member;
  }

  @Override
  public void status(StatusRequest request, StreamObserver<StatusResponse> out) {
    Replies.send(
        member.read(
            true,
            a -> {
              Status s = member.loop().status();
              return StatusResponse.newBuilder()
                  .setHeader(a.header())
                  .setVersion(VERSION)
                  .setDbSize(a.dbSize())
                  .setDbSizeInUse(a.dbSizeInUse())
                  .setLeader(s.softState().lead())
                  .setRaftIndex(s.hardState().commit())
                  .setRaftTerm(s.hardState().term())
                  .setRaftAppliedIndex(s.applied())
                  .build();
            }),
        out);
  }
}
