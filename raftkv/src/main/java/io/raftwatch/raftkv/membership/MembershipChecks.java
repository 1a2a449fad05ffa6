package io.raftwatch.raftkv.membership;

import io.raftwatch.raftkv.membership.MembershipException.Reason;
import io.raftwatch.raftkv.raft.Status;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.LongPredicate;

/**
 * etcd's checks of a membership request before it is proposed ({@code mayAddMember}, {@code
 * mayRemoveMember}, {@code mayPromoteMember} with {@code --strict-reconfig-check}, as etcd 3.4
 * defaults, and the membership's own validation): a change that would leave fewer started or
 * connected voters than a quorum is refused, as are duplicate ids and peer URLs and unknown
 * members. Built on the raft loop thread from the member set and Raft status there.
 */
public final class MembershipChecks {
  // etcd 3.4's maxLearners.
  private static final int MAX_LEARNERS = 1;
  // etcd's readyPercent: a learner within 90% of the leader's log may be promoted.
  private static final double READY_FRACTION = 0.9;

  private final MemberSet members;
  private final Status status;
  private final LongPredicate connected;

  /**
   * @param connected whether this member's transport has a working connection to a peer now
   */
  public MembershipChecks(MemberSet members, Status status, LongPredicate connected) {
    this.members = members;
    this.status = status;
    this.connected = connected;
  }

  /** etcd MemberAdd: a new id, peer URLs nobody has, a quorum started and connected. */
  public void add(Member m) {
    if (members.member(m.id()).isPresent() || members.isRemoved(m.id())) {
      throw new MembershipException(Reason.MEMBER_EXISTS, Long.toHexString(m.id()));
    }
    checkPeerUrlsFree(m.id(), m.peerUrls());
    if (m.learner()) {
      long learners = members.members().stream().filter(Member::learner).count();
      if (learners + 1 > MAX_LEARNERS) {
        throw new MembershipException(Reason.TOO_MANY_LEARNERS, learners + " learners");
      }
      return;
    }
    List<Member> voters = voters();
    long started = voters.stream().filter(Member::started).count();
    int after = voters.size() + 1;
    if (!(started == 1 && after == 2) && started < after / 2 + 1) {
      throw new MembershipException(Reason.NOT_ENOUGH_STARTED, started + " of " + after);
    }
    for (Member v : voters) {
      if (v.id() != status.id() && !connected.test(v.id())) {
        throw new MembershipException(Reason.UNHEALTHY, "voter " + Long.toHexString(v.id())
            + " is not connected");
      }
    }
  }

  /**
   * etcd MemberRemove: the member exists; removing a voter leaves a quorum of started voters, and
   * of connected ones unless the member removed is down anyway.
   */
  public void remove(long id) {
    Member target = members.member(id).orElseThrow(
        () -> new MembershipException(Reason.MEMBER_NOT_FOUND, Long.toHexString(id)));
    if (target.learner()) {
      return;
    }
    List<Member> others = voters().stream().filter(v -> v.id() != id).toList();
    long started = others.stream().filter(Member::started).count();
    if (started < others.size() / 2 + 1) {
      throw new MembershipException(Reason.NOT_ENOUGH_STARTED, started + " of " + others.size());
    }
    if (id != status.id() && !connected.test(id)) {
      return; // a member that is down is not part of the active quorum
    }
    List<Member> voters = voters();
    long active = voters.stream().filter(v -> v.id() == status.id() || connected.test(v.id()))
        .count();
    if (active - 1 < 1 + (voters.size() - 1) / 2) {
      throw new MembershipException(Reason.UNHEALTHY, active + " of " + voters.size()
          + " voters connected");
    }
  }

  /** etcd MemberUpdate: the member exists and no other member has these peer URLs. */
  public void update(long id, List<String> peerUrls) {
    if (members.member(id).isEmpty()) {
      throw new MembershipException(Reason.MEMBER_NOT_FOUND, Long.toHexString(id));
    }
    checkPeerUrlsFree(id, peerUrls);
  }

  /**
   * etcd MemberPromote, on the leader: the member is a learner whose log is within 90% of the
   * leader's, and a quorum of the voters that result is started.
   */
  public void promote(long id) {
    Member target = members.member(id).orElseThrow(
        () -> new MembershipException(Reason.MEMBER_NOT_FOUND, Long.toHexString(id)));
    if (!target.learner()) {
      throw new MembershipException(Reason.MEMBER_NOT_LEARNER, Long.toHexString(id));
    }
    Status.PeerProgress leader = status.progress().get(status.id());
    Status.PeerProgress learner = status.progress().get(id);
    if (leader == null || learner == null || learner.match() < leader.match() * READY_FRACTION) {
      throw new MembershipException(Reason.LEARNER_NOT_READY, "learner " + Long.toHexString(id)
          + " matched " + (learner == null ? 0 : learner.match()) + " of "
          + (leader == null ? 0 : leader.match()));
    }
    List<Member> voters = voters();
    long started = voters.stream().filter(Member::started).count();
    int after = voters.size() + 1;
    if (!(started == 1 && after == 2) && started < after / 2 + 1) {
      throw new MembershipException(Reason.NOT_ENOUGH_STARTED, started + " of " + after);
    }
  }

  private List<Member> voters() {
    return members.members().stream().filter(m -> !m.learner()).toList();
  }

  private void checkPeerUrlsFree(long id, List<String> peerUrls) {
    Set<String> wanted = new HashSet<>(peerUrls);
    for (Member m : members.members()) {
      if (m.id() != id && m.peerUrls().stream().anyMatch(wanted::contains)) {
        throw new MembershipException(Reason.PEER_URL_EXISTS, "used by " + Long.toHexString(m.id()));
      }
    }
  }
}
