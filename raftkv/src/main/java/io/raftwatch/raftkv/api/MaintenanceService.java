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
import io.etcd.jetcd.api.HashRequest;
import io.etcd.jetcd.api.HashResponse;
import io.etcd.jetcd.api.MoveLeaderRequest;
import io.etcd.jetcd.api.MoveLeaderResponse;
import io.etcd.jetcd.api.SnapshotRequest;
import io.etcd.jetcd.api.SnapshotResponse;
import io.grpc.stub.StreamObserver;
import io.raftwatch.raftkv.EtcdRelease;
import io.raftwatch.raftkv.raft.Role;
import io.raftwatch.raftkv.raft.Status;
import io.raftwatch.raftkv.server.KvApplier;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * etcd's Maintenance service: Status (listing raised alarms as its errors, as etcd 3.4 does), Hash,
 * HashKV, Defragment and Alarm (NOSPACE is raised when the backend quota is exceeded), each run on
 * the raft loop thread; Snapshot streams the backend as a bbolt file ({@link BackendStream}), as
 * etcd streams its database; MoveLeader asks the leader to hand leadership over and answers once
 * the transferee leads. gRPC threads.
 */
final class MaintenanceService extends MaintenanceGrpc.MaintenanceImplBase {
  private static final long LEADER_POLL_MILLIS = 20;

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
                  .setVersion(EtcdRelease.SERVER)
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
                  .setIsLearner(s.confState().learners().contains(s.id()))
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
  public void hash(HashRequest request, StreamObserver<HashResponse> out) {
    Replies.send(member.read(true, KvApplier::hash), out);
  }

  @Override
  public void snapshot(SnapshotRequest request, StreamObserver<SnapshotResponse> out) {
    member.timed(member.loop().onLoop(() -> member.applier().boltFile()))
        .whenComplete((backend, failure) -> {
          if (failure != null) {
            out.onError(EtcdErrors.of(failure));
          } else {
            BackendStream.send(backend, out);
          }
        });
  }

  /**
   * etcd's MoveLeader: only the leader hands over, only to a voting member; the answer comes once
   * this member sees the transferee lead, or the request times out.
   */
  @Override
  public void moveLeader(MoveLeaderRequest request, StreamObserver<MoveLeaderResponse> out) {
    long target = request.getTargetID();
    CompletableFuture<MoveLeaderResponse> moved = member.loop().onLoop(() -> {
      Status s = member.loop().status();
      if (s.softState().role() != Role.LEADER) {
        throw EtcdErrors.NOT_LEADER;
      }
      if (!s.confState().voters().contains(target)) {
        throw EtcdErrors.BAD_LEADER_TRANSFEREE;
      }
      member.loop().transferLeadership(target);
      return null;
    }).thenCompose(x -> awaitLeader(target));
    Replies.send(member.timed(moved), out);
  }

  private CompletableFuture<MoveLeaderResponse> awaitLeader(long target) {
    if (member.loop().status().softState().lead() == target) {
      return member.loop().onLoop(
          () -> MoveLeaderResponse.newBuilder().setHeader(member.applier().header()).build());
    }
    return CompletableFuture.supplyAsync(() -> null,
            CompletableFuture.delayedExecutor(LEADER_POLL_MILLIS, TimeUnit.MILLISECONDS))
        .thenCompose(x -> awaitLeader(target));
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
