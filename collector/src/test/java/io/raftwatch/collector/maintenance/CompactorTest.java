package io.raftwatch.collector.maintenance;

import static org.assertj.core.api.Assertions.assertThat;

import io.raftwatch.collector.config.MaintenanceConfig;
import io.raftwatch.collector.fixture.ManualClock;
import io.raftwatch.collector.history.MaintenanceRun;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/** Where compaction cuts, and what it records when it cannot, on fake members and manual time. */
class CompactorTest {
  private static final Instant NOW = Instant.parse("2026-11-24T04:00:00Z");
  private final List<String> log = new ArrayList<>();
  private final List<MaintenanceRun> recorded = new ArrayList<>();
  private final ManualClock clock = new ManualClock(NOW);

  @Test
  void retainPeriodCompactsToTheRevisionSeenThatLongAgo() {
    List<Instant> asked = new ArrayList<>();
    MaintenanceRun run = compactor(byPeriod(Duration.ofHours(24)), at -> {
      asked.add(at);
      return OptionalLong.of(42);
    }, new FakeMember("m1", log).thenStatus(1, 1)).run();
    assertThat(asked).containsExactly(NOW.minus(Duration.ofHours(24)));
    assertThat(log).containsExactly("compact 42");
    assertThat(run.detail()).isEqualTo("compacted to revision 42 (current 100, keeping 1d) via m1");
    assertThat(recorded).containsExactly(run);
  }

  @Test
  void retainPeriodLongerThanTheCollectorsMemorySkips() {
    MaintenanceRun run = compactor(byPeriod(Duration.ofHours(24)), at -> OptionalLong.empty(),
        new FakeMember("m1", log).thenStatus(1, 1)).run();
    assertThat(run.outcome()).isEqualTo(MaintenanceRun.Outcome.SKIPPED);
    assertThat(run.detail()).isEqualTo(
        "no revision recorded 1d ago yet; the collector has not watched the cluster that long");
    assertThat(log).isEmpty();
  }

  @Test
  void firstMemberThatAnswersIsUsedAndNoAnswerIsAFailure() {
    MaintenanceRun viaSecond = compactor(byRevisions(10), at -> OptionalLong.empty(),
        new FakeMember("m1", log).unreachable(), new FakeMember("m2", log).thenStatus(2, 2)).run();
    assertThat(viaSecond.detail())
        .isEqualTo("compacted to revision 90 (current 100, keeping the latest 10 revisions) via m2");
    MaintenanceRun none = compactor(byRevisions(10), at -> OptionalLong.empty(),
        new FakeMember("m1", log).unreachable()).run();
    assertThat(none.outcome()).isEqualTo(MaintenanceRun.Outcome.FAILED);
    assertThat(none.detail()).isEqualTo("no member answered: m1: status failed: UNAVAILABLE");
  }

  @Test
  void historyShorterThanWhatIsKeptIsNothingToCompact() {
    MaintenanceRun run = compactor(byRevisions(1000), at -> OptionalLong.empty(),
        new FakeMember("m1", log).thenStatus(1, 1)).run();
    assertThat(run.outcome()).isEqualTo(MaintenanceRun.Outcome.SKIPPED);
    assertThat(run.detail())
        .isEqualTo("revision 100: nothing to compact, keeping the latest 1000 revisions");
  }

  private Compactor compactor(MaintenanceConfig.Compact config, Compactor.RevisionAt past,
      MemberMaintenance... members) {
    return new Compactor("prod", List.of(members), config, past, clock, recorded::add, "local");
  }

  private static MaintenanceConfig.Compact byRevisions(long n) {
    return new MaintenanceConfig.Compact(true, Optional.of("0 0 * * * ?"), Optional.of(n),
        Optional.empty());
  }

  private static MaintenanceConfig.Compact byPeriod(Duration d) {
    return new MaintenanceConfig.Compact(true, Optional.of("0 0 * * * ?"), Optional.empty(),
        Optional.of(d));
  }
}
