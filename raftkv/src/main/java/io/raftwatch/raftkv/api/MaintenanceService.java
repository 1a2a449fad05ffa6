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
 * etcd's Maintenance service: Status (listing raised alarms as its errors, as etcd 3.4 does), HashKV,
 * Defragment and Alarm (NOSPACE is raised when the backend quota is exceeded), run on the raft loop
 * thread. Hash, Snapshot and MoveLeader are not
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
                  .addAllErrors(
                      a.alarms(AlarmRequest.getDefaultInstance()).getAlarmsList().stream()
                          .map(m -> "memberID:" + Long.toUnsignedString(m.getMemberID())
                              + " alarm:" + m.getAlarm() + " ")
                          .toList())
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

  /** GET reads this member's copy of the alarms; ACTIVATE and DEACTIVATE go through Raft. */
  @Override
  public void alarm(AlarmRequest request, StreamObserver<AlarmResponse> out) {
    if (request.getAction() == AlarmRequest.AlarmAction.GET) {
      Replies.send(member.read(true, a -> a.alarms(request)), out);
    } else {
      Replies.send(member.write(request), out);
    }
  }
}
