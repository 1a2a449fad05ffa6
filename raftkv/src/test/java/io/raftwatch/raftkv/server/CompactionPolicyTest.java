package io.raftwatch.raftkv.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * etcd 3.4's auto-compaction schedules (v3compactor periodic.go and revision.go), driven with a
 * manual time and a store whose revision grows by one every second.
 */
class CompactionPolicyTest {
  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

  /** Runs the policy's checks over the given time as the only member (leader); returns what it compacted, as "minute:revision". */
  private static List<String> drive(CompactionPolicy p, Duration total, boolean leader) {
    List<String> compacted = new ArrayList<>();
    for (Instant now = T0; !now.isAfter(T0.plus(total)); now = now.plus(p.checkInterval())) {
      long revision = Duration.between(T0, now).toSeconds() + 1;
      long r = p.onTimer(now, revision, leader);
      if (r > 0) {
        p.compacted(r, now);
        compacted.add(Duration.between(T0, now).toMinutes() + "m:" + r);
      }
    }
    return compacted;
  }

  @Test
  void periodicOfAnHourWaitsAnHourThenCompactsTheRevisionOfAnHourAgoEveryHour() {
    CompactionPolicy p = CompactionPolicy.of("periodic", "1", Duration.ofMinutes(5));
    assertThat(p.checkInterval()).isEqualTo(Duration.ofMinutes(6));
    // Revision at minute m is 60*m + 1; at 60m the window's oldest record is from minute 0.
    assertThat(drive(p, Duration.ofHours(3), true))
        .containsExactly("60m:1", "120m:3241", "180m:6841");
  }

  @Test
  void periodicOfTenMinutesCompactsEveryTenMinutes() {
    CompactionPolicy p = CompactionPolicy.of("periodic", "10m", Duration.ofMinutes(5));
    assertThat(p.checkInterval()).isEqualTo(Duration.ofMinutes(1));
    assertThat(drive(p, Duration.ofMinutes(30), true))
        .containsExactly("10m:1", "20m:541", "30m:1141");
  }

  @Test
  void periodicAboveAnHourKeepsTheWholeRetentionButCompactsHourly() {
    CompactionPolicy p = CompactionPolicy.of("periodic", "2h", Duration.ofMinutes(5));
    assertThat(p.checkInterval()).isEqualTo(Duration.ofMinutes(6));
    // 21 records 6 minutes apart: at 180m the oldest is from minute 54 (etcd keeps as many).
    assertThat(drive(p, Duration.ofHours(4), true))
        .containsExactly("120m:1", "180m:3241", "240m:6841");
  }

  @Test
  void followersOnlyRecordAndANewLeaderCompactsFromTheirRecords() {
    CompactionPolicy p = CompactionPolicy.of("periodic", "10m", Duration.ofMinutes(5));
    assertThat(drive(p, Duration.ofMinutes(30), false)).isEmpty();
    // Leading from minute 31 on: the window holds the revisions of the last ten minutes.
    long r = p.onTimer(T0.plus(Duration.ofMinutes(31)), 31 * 60 + 1, true);
    assertThat(r).isEqualTo(20 * 60 + 1);
  }

  @Test
  void aFailedCompactionIsRetriedAtTheNextCheck() {
    CompactionPolicy p = CompactionPolicy.of("periodic", "10m", Duration.ofMinutes(5));
    for (int m = 0; m < 10; m++) {
      assertThat(p.onTimer(T0.plus(Duration.ofMinutes(m)), m * 60 + 1, true)).isZero();
    }
    assertThat(p.onTimer(T0.plus(Duration.ofMinutes(10)), 601, true)).isEqualTo(1);
    // Not reported as compacted: asked again a minute later, for the oldest revision in the window.
    assertThat(p.onTimer(T0.plus(Duration.ofMinutes(11)), 661, true)).isEqualTo(1);
    p.compacted(1, T0.plus(Duration.ofMinutes(11)));
    assertThat(p.onTimer(T0.plus(Duration.ofMinutes(12)), 721, true)).isZero();
  }

  @Test
  void revisionModeKeepsTheLastNRevisionsCheckedEveryInterval() {
    CompactionPolicy p = CompactionPolicy.of("revision", "1000", Duration.ofSeconds(300));
    assertThat(p.checkInterval()).isEqualTo(Duration.ofMinutes(5));
    assertThat(p.onTimer(T0, 900, true)).isZero();
    assertThat(p.onTimer(T0, 1500, false)).as("a follower").isZero();
    assertThat(p.onTimer(T0, 1500, true)).isEqualTo(500);
    p.compacted(500, T0);
    assertThat(p.onTimer(T0, 1500, true)).as("compacted already").isZero();
    assertThat(p.onTimer(T0, 2600, true)).isEqualTo(1600);
  }

  @Test
  void retentionZeroTurnsAutoCompactionOffAndDurationsParseAsGo() {
    assertThat(CompactionPolicy.of("periodic", "0", Duration.ofMinutes(5))).isNull();
    assertThat(CompactionPolicy.of("revision", "0", Duration.ofMinutes(5))).isNull();
    assertThat(PeriodicCompaction.retention("72")).isEqualTo(Duration.ofHours(72));
    assertThat(PeriodicCompaction.retention("1h30m")).isEqualTo(Duration.ofMinutes(90));
    assertThat(PeriodicCompaction.retention("1.5s")).isEqualTo(Duration.ofMillis(1500));
    assertThatThrownBy(() -> PeriodicCompaction.retention("1x"))
        .hasMessageContaining("not a duration: \"1x\"");
  }
}
