package io.raftwatch.raftkv.api;

import com.google.protobuf.InvalidProtocolBufferException;
import io.etcd.jetcd.api.ClusterGrpc;
import io.etcd.jetcd.api.MemberAddRequest;
import io.etcd.jetcd.api.MemberAddResponse;
import io.etcd.jetcd.api.MemberListRequest;
import io.etcd.jetcd.api.MemberListResponse;
import io.etcd.jetcd.api.MemberPromoteRequest;
import io.etcd.jetcd.api.MemberPromoteResponse;
import io.etcd.jetcd.api.MemberRemoveRequest;
import io.etcd.jetcd.api.MemberRemoveResponse;
import io.etcd.jetcd.api.MemberUpdateRequest;
import io.etcd.jetcd.api.MemberUpdateResponse;
import io.etcd.jetcd.api.ResponseHeader;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;
import io.raftwatch.raftkv.config.MemberIds;
import io.raftwatch.raftkv.membership.Member;
import io.raftwatch.raftkv.membership.MembershipChecks;
import io.raftwatch.raftkv.membership.MembershipException;
import io.raftwatch.raftkv.raft.ConfChangeType;
import io.raftwatch.raftkv.raft.Role;
import io.raftwatch.raftkv.server.ForwardDroppedException;
import io.raftwatch.raftkv.server.LeaderRequests;
import io.raftwatch.raftkv.server.NotLeaderException;
import io.raftwatch.raftkv.server.ProposalDroppedException;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Consumer;

/**
 * etcd's Cluster service. MemberList answers from this member's applied membership. MemberAdd,
 * MemberRemove, MemberUpdate and MemberPromote check the request as etcd does ({@link
 * MembershipChecks}), propose a Raft configuration change carrying the member, and answer with the
 * membership once the change is applied here. MemberPromote must reach the leader, which alone
 * knows whether the learner caught up: a follower forwards it there, as etcd does, and returns the
 * leader's answer or etcd error.
 * Runs on gRPC's threads; the checks and reads run on the raft loop thread.
 */
final class ClusterService extends ClusterGrpc.ClusterImplBase {
  private final MemberContext member;

  ClusterService(MemberContext member) {
    this.member = member;
    member.leaderRequests().handle(LeaderRequests.MEMBER_PROMOTE, this::answerForwardedPromote);
  }

  @Override
  public void memberList(MemberListRequest request, StreamObserver<MemberListResponse> out) {
    Replies.send(
        member.read(
            true,
            a -> MemberListResponse.newBuilder()
                .setHeader(a.header())
                .addAllMembers(a.members().members().stream().map(Member::toProto).toList())
                .build()),
        out);
  }

  @Override
  public void memberAdd(MemberAddRequest request, StreamObserver<MemberAddResponse> out) {
    List<String> urls = request.getPeerURLsList();
    CompletableFuture<MemberAddResponse> reply;
    try {
      checkUrls(urls);
      long id = MemberIds.added(urls, member.clock().instant());
      Member added = new Member(id, "", urls, List.of(), request.getIsLearner());
      reply = change(checks -> checks.add(added),
              added.learner() ? ConfChangeType.ADD_LEARNER_NODE : ConfChangeType.ADD_NODE, added)
          .thenApply(r -> MemberAddResponse.newBuilder()
              .setHeader(r.header())
              .setMember(added.toProto())
              .addAllMembers(r.members())
              .build());
    } catch (MembershipException e) {
      reply = CompletableFuture.failedFuture(e);
    }
    Replies.send(reply, out);
  }

  @Override
  public void memberRemove(MemberRemoveRequest request, StreamObserver<MemberRemoveResponse> out) {
    long id = request.getID();
    Replies.send(
        change(checks -> checks.remove(id), ConfChangeType.REMOVE_NODE, Member.ofId(id))
            .thenApply(r -> MemberRemoveResponse.newBuilder()
                .setHeader(r.header())
                .addAllMembers(r.members())
                .build()),
        out);
  }

  @Override
  public void memberUpdate(MemberUpdateRequest request, StreamObserver<MemberUpdateResponse> out) {
    long id = request.getID();
    List<String> urls = request.getPeerURLsList();
    CompletableFuture<MemberUpdateResponse> reply;
    try {
      checkUrls(urls);
      reply = change(checks -> checks.update(id, urls), ConfChangeType.UPDATE_NODE,
              Member.ofId(id).withPeerUrls(urls))
          .thenApply(r -> MemberUpdateResponse.newBuilder()
              .setHeader(r.header())
              .addAllMembers(r.members())
              .build());
    } catch (MembershipException e) {
      reply = CompletableFuture.failedFuture(e);
    }
    Replies.send(reply, out);
  }

  @Override
  public void memberPromote(
      MemberPromoteRequest request, StreamObserver<MemberPromoteResponse> out) {
    Replies.send(member.leaderRequests().leading()
        ? promoteHere(request.getID())
        : promoteOnLeader(request), out);
  }

  private CompletableFuture<MemberPromoteResponse> promoteHere(long id) {
    return change(
        checks -> {
          if (member.loop().status().softState().role() != Role.LEADER) {
            throw new NotLeaderException();
          }
          checks.promote(id);
        },
        ConfChangeType.ADD_NODE,
        Member.ofId(id))
        .thenApply(r -> MemberPromoteResponse.newBuilder()
            .setHeader(r.header())
            .addAllMembers(r.members())
            .build());
  }

  /**
   * The leader's answer to a promotion this follower forwards: its response, its etcd error as it
   * is, or "request timed out" when the leader could not be reached.
   */
  private CompletableFuture<MemberPromoteResponse> promoteOnLeader(MemberPromoteRequest request) {
    return member.timed(
        member.leaderRequests().forward(LeaderRequests.MEMBER_PROMOTE, request.toByteArray())
            .thenApply(ClusterService::parsePromoteResponse)
            .exceptionally(failure -> {
              Throwable t = failure instanceof CompletionException c ? c.getCause() : failure;
              boolean etcdError = t instanceof StatusRuntimeException e
                  && e.getStatus().getDescription() != null
                  && e.getStatus().getDescription().startsWith("etcdserver: ");
              throw new CompletionException(etcdError || t instanceof ProposalDroppedException
                  ? t : new ForwardDroppedException());
            }));
  }

  /** Promotes on this member (the leader) what a follower forwarded; etcd errors go back as such. */
  private CompletableFuture<byte[]> answerForwardedPromote(byte[] body) {
    CompletableFuture<MemberPromoteResponse> promoted;
    try {
      promoted = promoteHere(MemberPromoteRequest.parseFrom(body).getID());
    } catch (InvalidProtocolBufferException e) {
      promoted = CompletableFuture.failedFuture(
          Status.INVALID_ARGUMENT.withDescription("malformed forwarded MemberPromote").asException());
    }
    return promoted.handle((response, failure) -> {
      if (failure != null) {
        throw new CompletionException(EtcdErrors.of(failure).getStatus().asException());
      }
      return response.toByteArray();
    });
  }

  private static MemberPromoteResponse parsePromoteResponse(byte[] bytes) {
    try {
      return MemberPromoteResponse.parseFrom(bytes);
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalStateException("the leader's MemberPromote answer is malformed", e);
    }
  }

  private record Changed(ResponseHeader header, List<io.etcd.jetcd.api.Member> members) {}

  /**
   * Checks on the loop thread, proposes the change, and reads the membership once it is applied
   * here, all within the request timeout.
   */
  private CompletableFuture<Changed> change(
      Consumer<MembershipChecks> check, ConfChangeType type, Member subject) {
    return member.timed(
        member.loop()
            .onLoop(() -> {
              check.accept(new MembershipChecks(
                  member.applier().members(), member.loop().status(), member.peerConnected()));
              return null;
            })
            .thenCompose(x -> member.loop().proposeConfChange(type, subject.id(), subject.encode()))
            .thenCompose(index -> member.loop().onLoop(() -> new Changed(
                member.applier().header(),
                member.applier().members().members().stream().map(Member::toProto).toList()))));
  }

  /** etcd refuses peer URLs that are not http(s)://host:port. */
  private static void checkUrls(List<String> urls) {
    if (urls.isEmpty()) {
      throw new MembershipException(MembershipException.Reason.BAD_URLS, "no peer URLs");
    }
    for (String url : urls) {
      try {
        URI u = new URI(url);
        if (!("http".equals(u.getScheme()) || "https".equals(u.getScheme()))
            || u.getHost() == null || u.getPort() < 0) {
          throw new MembershipException(MembershipException.Reason.BAD_URLS, url);
        }
      } catch (URISyntaxException e) {
        throw new MembershipException(MembershipException.Reason.BAD_URLS, url);
      }
    }
  }
}
