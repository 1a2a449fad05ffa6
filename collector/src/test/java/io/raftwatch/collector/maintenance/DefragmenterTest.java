package io.raftwatch.collector.maintenance;

import static org.assertj.core.api.Assertions.assertThat;

import io.raftwatch.collector.fixture.ManualClock;
import io.raftwatch.collector.history.MaintenanceRun;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The defragmentation pass's decisions, on fake members and manual time. */
class DefragmenterTest {
  private final List<String> log = new ArrayList<>();
  private final List<MaintenanceRun> recorded = new ArrayList<>();
  private final ManualClock clock = new ManualClock(Instant.parse("2026-11-24T03:30:00Z"));

  @Test
  void followersGoFirstInConfigOrderAndTheLeaderLast() {
    List<MaintenanceRun> runs = defragmenter(
        new FakeMember("m1", log).thenStatus(1, 2),
        new FakeMember("m2", log).thenStatus(2, 2),
        new FakeMember("m3", log).thenStatus(3, 2)).run(m -> true, "cron");
    assertThat(log).containsExactly("defragment m1", "defragment m3", "defragment m2");
    assertThat(runs).extracting(r -> r.member() + " " + r.outcome() + " " + r.detail())
        .containsExactly(
            "m1 SUCCEEDED cron: follower, db 4.0 MiB -> 4.0 MiB (in use 1.0 MiB)",
            "m3 SUCCEEDED cron: follower, db 4.0 MiB -> 4.0 MiB (in use 1.0 MiB)",
            "m2 SUCCEEDED cron: leader, db 4.0 MiB -> 4.0 MiB (in use 1.0 MiB)");
    assertThat(recorded).isEqualTo(runs);
  }

  @Test
  void onlyWantedMembersAreDefragmentedAndTheConditionIsAskedAgainBeforeEach() {
    Set<String> firing = new java.util.HashSet<>(Set.of("m1", "m2", "m3"));
    // m3's alert resolves while m1 is being defragmented.
    FakeMember m1 = new FakeMember("m1", log).thenStatus(1, 2)
        .afterDefragment(() -> firing.remove("m3"));
    List<MaintenanceRun> runs = defragmenter(m1,
        new FakeMember("m2", log).thenStatus(2, 2),
        new FakeMember("m3", log).thenStatus(3, 2)).run(firing::contains, "alert");
    assertThat(log).containsExactly("defragment m1", "defragment m2");
    assertThat(runs).extracting(r -> r.member() + " " + r.outcome())
        .containsExactly("m1 SUCCEEDED", "m3 SKIPPED", "m2 SUCCEEDED");
  }

  @Test
  void aFailureStopsThePassBeforeTheLeader() {
    List<MaintenanceRun> runs = defragmenter(
        new FakeMember("m1", log).thenStatus(1, 3).failingDefragment(),
        new FakeMember("m2", log).thenStatus(2, 3),
        new FakeMember("m3", log).thenStatus(3, 3)).run(m -> true, "cron");
    assertThat(log).containsExactly("defragment m1");
    assertThat(runs).extracting(r -> r.member() + " " + r.outcome() + " " + r.detail())
        .containsExactly(
            "m1 FAILED cron: m1: defragment failed: DEADLINE_EXCEEDED",
            "m2 SKIPPED cron: not attempted, the defragmentation of m1 failed",
            "m3 SKIPPED cron: not attempted, the defragmentation of m1 failed");
  }

  @Test
  void noPassWhileAMemberIsUnreachableOrDuringAnElection() {
    List<MaintenanceRun> down = defragmenter(
        new FakeMember("m1", log).thenStatus(1, 1),
        new FakeMember("m2", log).unreachable(),
        new FakeMember("m3", log).thenStatus(3, 1)).run(m -> true, "cron");
    assertThat(down).singleElement().extracting(MaintenanceRun::detail).isEqualTo(
        "cron: not started, m2: status failed: UNAVAILABLE; defragmenting another member could"
            + " cost the quorum");
    List<MaintenanceRun> election = defragmenter(
        new FakeMember("m1", log).thenStatus(1, 0),
        new FakeMember("m2", log).thenStatus(2, 1),
        new FakeMember("m3", log).thenStatus(3, 1)).run(m -> true, "cron");
    assertThat(election).singleElement().extracting(MaintenanceRun::detail).isEqualTo(
        "cron: not started, the members do not agree on one leader (leader ids [m1=0, m2=1, m3=1]);"
            + " an election is under way");
    assertThat(log).isEmpty();
  }

  @Test
  void aFollowerThatBecameLeaderMeanwhileGoesLast() {
    // m1 leads at the start; by m2's turn m2 leads (m1 stepped down).
    defragmenter(
        new FakeMember("m1", log).thenStatus(1, 1).thenStatus(1, 1).thenStatus(1, 2),
        new FakeMember("m2", log).thenStatus(2, 1).thenStatus(2, 2),
        new FakeMember("m3", log).thenStatus(3, 1).thenStatus(3, 2)).run(m -> true, "cron");
    assertThat(log).containsExactly("defragment m3", "defragment m1", "defragment m2");
  }

  private Defragmenter defragmenter(MemberMaintenance... members) {
    return new Defragmenter("prod", List.of(members), clock, recorded::add, "local");
  }
}
