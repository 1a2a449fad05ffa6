package io.raftwatch.raftkv.api;

import io.etcd.jetcd.api.AlarmRequest;
import io.etcd.jetcd.api.AlarmResponse;
import io.etcd.jetcd.api.DefragmentRequest;
import io.etcd.jetcd.api.DefragmentResponse;
import io.etcd.jetcd.api.HashKVRequest;
import io.etcd.jetcd.api.HashKVResponse;
import io.etcd.jetcd.api.MaintenanceGrpc;
import io.etcd.jetcd.api.StatusRequest;
import io.etcd.jetcd.api.StatusResponse;
import io.grpc.stub.StreamObserver;
import io.raftwatch.raftkv.raft.Status;

/**
 * etcd's Maintenance service: Status, HashKV, Defragment and Alarm (no alarms are ever raised, so
 * the list is empty), each run on the raft loop thread. Hash, Snapshot and MoveLeader are not
 * served. gRPC threads.
 */
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

  @Override
  public void hashKV(HashKVRequest request, StreamObserver<HashKVResponse> out) {
    Replies.send(member.read(true, a -> a.hashKv(request.getRevision())), out);
  }

  @Override
  public void defragment(DefragmentRequest request, StreamObserver<DefragmentResponse> out) {
    Replies.send(
        member.read(
            true,
            a -> {
              a.defragment();
              return DefragmentResponse.newBuilder().setHeader(a.header()).build();
            }),
        out);
  }

  @Override
  public void alarm(AlarmRequest request, StreamObserver<AlarmResponse> out) {
    Replies.send(
        member.read(true, a -> AlarmResponse.newBuilder().setHeader(a.header()).build()), out);
  }
}
