package io.raftwatch.collector.maintenance;

import static org.assertj.core.api.Assertions.assertThat;

import io.raftwatch.collector.config.MaintenanceConfig;
import io.raftwatch.collector.fixture.ManualClock;
import io.raftwatch.collector.history.AlertEvent;
import io.raftwatch.collector.history.MaintenanceRun;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * What starts a defragmentation: the fragmentation alert firing for a cluster that allows it,
 * nothing else; the pass runs off the calling (health-check) thread and covers the members for
 * which the alert fires.
 */
class MaintenanceJobsTest {
  private static final Instant T0 = Instant.parse("2026-11-24T03:30:00Z");
  private final List<String> log = Collections.synchronizedList(new ArrayList<>());
  private final List<MaintenanceRun> recorded = Collections.synchronizedList(new ArrayList<>());
  private final ManualClock clock = new ManualClock(T0);

  @Test
  void fragmentationAlertStartsAPassOverTheMembersItFiresFor() throws Exception {
    CountDownLatch done = new CountDownLatch(2);
    MaintenanceJobs jobs = jobs(true, done);
    Thread caller = Thread.currentThread();
    jobs.onEvents(List.of(event("etcdNoLeader", AlertEvent.Kind.FIRING, "m1"),
        event(MaintenanceJobs.FRAGMENTATION_ALERT, AlertEvent.Kind.PENDING, "m1"),
        event(MaintenanceJobs.FRAGMENTATION_ALERT, AlertEvent.Kind.FIRING, "m3"),
        event(MaintenanceJobs.FRAGMENTATION_ALERT, AlertEvent.Kind.FIRING, "m2")));
    assertThat(done.await(10, TimeUnit.SECONDS)).as("two members defragmented").isTrue();
    jobs.close();
    // m2 leads: it goes last; m1 does not fire, so it is left alone.
    assertThat(log).containsExactly("defragment m3 on raftwatch-maintenance-prod", "defragment m2"
        + " on raftwatch-maintenance-prod");
    assertThat(log).noneMatch(l -> l.endsWith(caller.getName()));
    assertThat(recorded).extracting(MaintenanceRun::detail)
        .allMatch(d -> d.startsWith("alert etcdDatabaseHighFragmentationRatio: "));
  }

  @Test
  void clusterThatDoesNotDefragmentOnAlertIgnoresIt() throws Exception {
    MaintenanceJobs jobs = jobs(false, new CountDownLatch(1));
    jobs.onEvents(List.of(event(MaintenanceJobs.FRAGMENTATION_ALERT, AlertEvent.Kind.FIRING, "m1"),
        new AlertEvent("other", MaintenanceJobs.FRAGMENTATION_ALERT, AlertEvent.Kind.FIRING,
            AlertEvent.sorted(Map.of("member", "m1")), AlertEvent.sorted(Map.of()), 0.3, T0, T0)));
    jobs.close();
    assertThat(log).isEmpty();
  }

  private MaintenanceJobs jobs(boolean onAlert, CountDownLatch done) {
    List<MemberMaintenance> members = List.of(
        new FakeMember("m1", log).thenStatus(1, 2),
        new FakeMember("m2", log).thenStatus(2, 2).afterDefragment(done::countDown),
        new FakeMember("m3", log).thenStatus(3, 2).afterDefragment(done::countDown));
    List<MemberMaintenance> threadNamed = members.stream().map(this::namingThread).toList();
    MaintenanceConfig config = new MaintenanceConfig(
        new MaintenanceConfig.Defrag(true, Optional.empty(), onAlert),
        MaintenanceConfig.disabled().compact(), Optional.empty(), Duration.ofMinutes(1));
    MaintenanceJobs.ClusterChores prod = new MaintenanceJobs.ClusterChores("prod", config,
        threadNamed, new Defragmenter("prod", threadNamed, clock, recorded::add, "local"),
        new Compactor("prod", threadNamed, config.compact(), at -> OptionalLong.empty(), clock,
            recorded::add, "local"));
    Set<String> firing = Set.of("m2", "m3");
    return new MaintenanceJobs(Map.of("prod", prod),
        (cluster, member) -> cluster.equals("prod") && firing.contains(member));
  }

  /** Logs "defragment m1 on <thread>" instead of the fake's line, to see where passes run. */
  private MemberMaintenance namingThread(MemberMaintenance inner) {
    return new MemberMaintenance() {
      @Override
      public String member() {
        return inner.member();
      }

      @Override
      public MemberStatus status() throws MaintenanceException {
        return inner.status();
      }

      @Override
      public void defragment() throws MaintenanceException {
        inner.defragment();
        log.set(log.size() - 1, "defragment " + member() + " on " + Thread.currentThread().getName());
      }

      @Override
      public void compact(long revision) throws MaintenanceException {
        inner.compact(revision);
      }

      @Override
      public void close() {}
    };
  }

  private static AlertEvent event(String alertname, AlertEvent.Kind kind, String member) {
    return new AlertEvent("prod", alertname, kind,
        AlertEvent.sorted(Map.of("alertname", alertname, "member", member)),
        AlertEvent.sorted(Map.of()), 0.3, T0, T0);
  }
}
