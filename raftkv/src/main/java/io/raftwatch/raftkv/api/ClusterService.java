package io.raftwatch.raftkv.api;

import io.etcd.jetcd.api.ClusterGrpc;
import io.etcd.jetcd.api.Member;
import io.etcd.jetcd.api.MemberListRequest;
import io.etcd.jetcd.api.MemberListResponse;
import io.grpc.stub.StreamObserver;
import io.raftwatch.raftkv.raft.ConfState;

/** etcd's Cluster service, MemberList only: the voters and learners of the Raft configuration. */
final class ClusterService extends ClusterGrpc.ClusterImplBase {
  private final MemberContext member;

  ClusterService(MemberContext member) {
    this.member = member;
  }

  @Override
  public void memberList(MemberListRequest request, StreamObserver<MemberListResponse> out) {
    Replies.send(
        member.read(
            false,
            a -> {
              ConfState conf = member.loop().status().confState();
              MemberListResponse.Builder resp =
                  MemberListResponse.newBuilder().setHeader(a.header());
              conf.voters().forEach(id -> resp.addMembers(describe(id, false)));
              conf.learners().forEach(id -> resp.addMembers(describe(id, true)));
              return resp.build();
            }),
        out);
  }

  private Member describe(long id, boolean learner) {
    Member.Builder m =
        Member.newBuilder().setID(id).setName(Long.toHexString(id)).setIsLearner(learner);
    String url = member.clientUrls().get(id);
    if (url != null) {
      m.addClientURLs(url);
    }
    return m.build();
  }
}
