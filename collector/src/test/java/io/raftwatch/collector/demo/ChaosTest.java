package io.raftwatch.collector.demo;

import static org.assertj.core.api.Assertions.assertThat;

import io.raftwatch.collector.fixture.ManualClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Chaos's cycle against a scripted cluster and a recording pause: what it kills, when it waits,
 * what it restarts and what it says. No time passes except on the manual clock.
 */
class ChaosTest {
  private static final Duration EVERY = Duration.ofSeconds(60);
  private static final Duration DOWN = Duration.ofSeconds(150);

  private final ManualClock clock = new ManualClock(Instant.parse("2026-11-24T20:00:00Z"));
  private final List<String> events = new ArrayList<>();
  private final List<String> log = new ArrayList<>();
  private final ScriptedCluster cluster = new ScriptedCluster();
  private final Chaos chaos = new Chaos(cluster, EVERY, DOWN, d -> {
    events.add("pause " + d.toSeconds() + "s");
    clock.advance(d);
  }, clock, log::add);

  @Test
  void killsTheLeaderWaitsAndRestartsItOnItsDataDir() throws Exception {
    cluster.leaders.add(Optional.of("m2"));
    cluster.newLeader = Optional.of("m3");

    chaos.cycle();

    assertThat(events).containsExactly("pause 60s", "kill m2", "await leader other than m2", "pause 150s",
        "restart m2", "await m2 rejoined");
    assertThat(log).containsExactly(
        "chaos: killed the leader m2 (pid 102) with SIGKILL; it stays down for 2m30s",
        "chaos: m3 is the new leader, elected within 1.5s of the kill",
        "chaos: restarted m2 on its data dir (pid 1002)",
        "chaos: m2 is back and follows the leader, 4.0s after its restart");
  }

  @Test
  void eachCycleKillsWhoeverLeadsThen() throws Exception {
    cluster.leaders.add(Optional.of("m1"));
    cluster.leaders.add(Optional.of("m3"));
    cluster.newLeader = Optional.of("m2");

    chaos.cycle();
    chaos.cycle();

    assertThat(events).filteredOn(e -> e.startsWith("kill") || e.startsWith("restart"))
        .containsExactly("kill m1", "restart m1", "kill m3", "restart m3");
  }

  @Test
  void withoutALeaderNothingIsKilledAndItTriesAgainNextCycle() throws Exception {
    cluster.leaders.add(Optional.empty());

    chaos.cycle();

    assertThat(events).containsExactly("pause 60s");
    assertThat(log).containsExactly("chaos: no leader to kill right now; trying again in 1m");
  }

  @Test
  void reportsAnElectionThatDoesNotHappenAndAMemberThatCannotRestart() throws Exception {
    cluster.leaders.add(Optional.of("m1"));
    cluster.newLeader = Optional.empty();
    cluster.restartFailure = Optional.of("m1 exited with status 1: cannot bind 127.0.0.1:40001");

    chaos.cycle();

    assertThat(log).containsExactly(
        "chaos: killed the leader m1 (pid 101) with SIGKILL; it stays down for 2m30s",
        "chaos: no new leader within 1m of the kill",
        "chaos: cannot restart m1: m1 exited with status 1: cannot bind 127.0.0.1:40001");
    assertThat(events).doesNotContain("await m1 rejoined");
  }

  @Test
  void runStopsWhenInterrupted() {
    Chaos interrupted = new Chaos(cluster, EVERY, DOWN, d -> {
      throw new InterruptedException();
    }, clock, log::add);

    interrupted.run();

    assertThat(Thread.interrupted()).as("the interrupt is kept for the caller").isTrue();
    assertThat(events).isEmpty();
  }

  /** Plays the leaders it is given; elections take 1.5 s and rejoining 4 s on the manual clock. */
  private final class ScriptedCluster implements Chaos.Target {
    final Deque<Optional<String>> leaders = new ArrayDeque<>();
    Optional<String> newLeader = Optional.empty();
    Optional<String> restartFailure = Optional.empty();

    @Override
    public Optional<String> leader() {
      return leaders.poll();
    }

    @Override
    public long kill(String member) {
      events.add("kill " + member);
      return 100 + member.charAt(1) - '0';
    }

    @Override
    public Optional<String> awaitLeaderOtherThan(String member, Duration within) {
      events.add("await leader other than " + member);
      assertThat(within).isEqualTo(Chaos.DEADLINE);
      clock.advance(Duration.ofMillis(1500));
      return newLeader;
    }

    @Override
    public long restart(String member) throws DemoException {
      events.add("restart " + member);
      if (restartFailure.isPresent()) {
        throw new DemoException(restartFailure.get());
      }
      return 1000 + member.charAt(1) - '0';
    }

    @Override
    public boolean awaitRejoined(String member, Duration within) {
      events.add("await " + member + " rejoined");
      clock.advance(Duration.ofSeconds(4));
      return true;
    }
  }
}
