package io.raftwatch.raftkv.membership;

import static io.raftwatch.raftkv.membership.MemberSetTest.member;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.prometheus.client.CollectorRegistry;
import io.raftwatch.raftkv.membership.MembershipException.Reason;
import io.raftwatch.raftkv.mvcc.MemoryBackend;
import io.raftwatch.raftkv.mvcc.MvccMetrics;
import io.raftwatch.raftkv.raft.ConfChangeType;
import io.raftwatch.raftkv.raft.ConfState;
import io.raftwatch.raftkv.raft.HardState;
import io.raftwatch.raftkv.raft.Role;
import io.raftwatch.raftkv.raft.SoftState;
import io.raftwatch.raftkv.raft.Status;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** etcd's refusals of membership requests, checked on the leader (member 1) of three voters. */
class MembershipChecksTest {
  private final MemberSet members =
      new MemberSet(new MemoryBackend(new MvccMetrics(new CollectorRegistry())));

  @BeforeEach
  void threeStartedVoters() {
    for (long id = 1; id <= 3; id++) {
      members.apply(ConfChangeType.ADD_NODE, id, member(id, "m" + id, "https://m" + id + ":2380"));
    }
  }

  @Test
  void addRefusesTakenIdsAndUrlsTooManyLearnersAndAnUnconnectedQuorum() {
    MembershipChecks all = checks(Set.of(2L, 3L), Map.of());
    assertRefused(() -> all.add(member(2, "", "https://new:2380")), Reason.MEMBER_EXISTS);
    assertRefused(() -> all.add(member(9, "", "https://m3:2380")), Reason.PEER_URL_EXISTS);
    assertThatCode(() -> all.add(learner(9))).doesNotThrowAnyException();
    members.apply(ConfChangeType.ADD_LEARNER_NODE, 9, learner(9));
    assertRefused(() -> all.add(learner(10)), Reason.TOO_MANY_LEARNERS);
    assertRefused(() -> checks(Set.of(2L), Map.of()).add(member(11, "", "https://x:2380")),
        Reason.UNHEALTHY);
  }

  @Test
  void removeRefusesUnknownMembersAndLosingTheConnectedQuorum() {
    assertRefused(() -> checks(Set.of(2L, 3L), Map.of()).remove(7), Reason.MEMBER_NOT_FOUND);
    MembershipChecks threeDown = checks(Set.of(2L), Map.of());
    assertRefused(() -> threeDown.remove(2), Reason.UNHEALTHY);
    assertThatCode(() -> threeDown.remove(3)).as("a member that is down may go")
        .doesNotThrowAnyException();
    members.apply(ConfChangeType.REMOVE_NODE, 3, Member.ofId(3));
    assertRefused(() -> threeDown.remove(3), Reason.MEMBER_NOT_FOUND);
  }

  @Test
  void promoteNeedsALearnerInSyncWithTheLeader() {
    members.apply(ConfChangeType.ADD_LEARNER_NODE, 9, learner(9));
    assertRefused(() -> checks(Set.of(2L, 3L, 9L), Map.of(1L, 100L, 9L, 89L)).promote(9),
        Reason.LEARNER_NOT_READY);
    assertRefused(() -> checks(Set.of(2L, 3L, 9L), Map.of(1L, 100L)).promote(2),
        Reason.MEMBER_NOT_LEARNER);
    assertThatCode(() -> checks(Set.of(2L, 3L, 9L), Map.of(1L, 100L, 9L, 90L)).promote(9))
        .doesNotThrowAnyException();
  }

  @Test
  void updateRefusesAnotherMembersPeerUrls() {
    MembershipChecks c = checks(Set.of(2L, 3L), Map.of());
    assertRefused(() -> c.update(1, List.of("https://m2:2380")), Reason.PEER_URL_EXISTS);
    assertRefused(() -> c.update(8, List.of("https://m8:2380")), Reason.MEMBER_NOT_FOUND);
    assertThatCode(() -> c.update(1, List.of("https://m1:2380", "https://m1b:2380")))
        .doesNotThrowAnyException();
  }

  private static Member learner(long id) {
    return new Member(id, "", List.of("https://l" + id + ":2380"), List.of(), true);
  }

  /** Checks as member 1, the leader, connected to {@code connected}, with these log matches. */
  private MembershipChecks checks(Set<Long> connected, Map<Long, Long> match) {
    Map<Long, Status.PeerProgress> progress = new HashMap<>();
    match.forEach((id, m) -> progress.put(id, new Status.PeerProgress(m, m + 1, "REPLICATE", id == 9)));
    Status status = new Status(1, new HardState(2, 1, 100), new SoftState(1, Role.LEADER), 100, 100,
        ConfState.ofVoters(1, 2, 3), progress, 0);
    return new MembershipChecks(members, status, connected::contains);
  }

  private static void assertRefused(ThrowingCallable call, Reason reason) {
    assertThatThrownBy(call).isInstanceOfSatisfying(MembershipException.class,
        e -> assertThat(e.reason()).isEqualTo(reason));
  }
}
