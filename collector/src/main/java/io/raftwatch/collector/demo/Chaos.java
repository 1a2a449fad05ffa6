package io.raftwatch.collector.demo;

import io.raftwatch.collector.config.PrometheusDuration;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * {@code raftwatch demo --chaos}: now and then, kill the leader with SIGKILL, keep it down for a
 * while, and start it again on its data directory, so that the page shows an election, members
 * down, alerts going pending or firing, and all of it resolving. One cycle:
 *
 * <pre>
 *   wait `every` ─▶ kill the leader ─▶ wait for a new leader ─▶ wait `down` ─▶ restart it ─▶ wait until it is back
 *        ▲                                                                                          │
 *        └──────────────────────────────────────────────────────────────────────────────────────────┘
 * </pre>
 *
 * Every step is reported through the log as it happens. Runs on its own thread until interrupted;
 * the waiting is done by the {@link Target} and the {@link Pause}, so tests drive it without time
 * passing.
 */
public final class Chaos implements Runnable {
  /** How long to wait for a new leader, or for the restarted member to rejoin, before saying so. */
  static final Duration DEADLINE = Duration.ofSeconds(60);

  /** The cluster as chaos sees it. Its waits block the chaos thread; all may be interrupted. */
  public interface Target {
    /** The member that leads now, if any. */
    Optional<String> leader();

    /** Kills {@code member} with SIGKILL; returns the pid it had. */
    long kill(String member) throws InterruptedException;

    /** Waits up to {@code within} for a leader other than {@code member}. */
    Optional<String> awaitLeaderOtherThan(String member, Duration within) throws InterruptedException;

    /** Starts {@code member} again on its data directory; returns its new pid. */
    long restart(String member) throws DemoException, InterruptedException;

    /**
     * Waits up to {@code within} until {@code member} answers and knows a leader; returns whether it
     * did.
     */
    boolean awaitRejoined(String member, Duration within) throws InterruptedException;
  }

  /** Waits, interruptibly: {@code Thread::sleep} in the demo, a recorder in tests. */
  @FunctionalInterface
  public interface Pause {
    void pause(Duration d) throws InterruptedException;
  }

  private final Target target;
  private final Duration every;
  private final Duration down;
  private final Pause pause;
  private final Clock clock;
  private final Consumer<String> log;

  /**
   * @param every how long the cluster stays whole between one restart and the next kill
   * @param down how long the killed member stays down
   * @param log receives one line per step
   */
  public Chaos(Target target, Duration every, Duration down, Pause pause, Clock clock, Consumer<String> log) {
    this.target = target;
    this.every = every;
    this.down = down;
    this.pause = pause;
    this.clock = clock;
    this.log = log;
  }

  @Override
  public void run() {
    try {
      while (!Thread.currentThread().isInterrupted()) {
        cycle();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt(); // the demo is stopping
    }
  }

  /** One cycle, as drawn above. */
  void cycle() throws InterruptedException {
    pause.pause(every);
    Optional<String> leader = target.leader();
    if (leader.isEmpty()) {
      log.accept("chaos: no leader to kill right now; trying again in " + PrometheusDuration.format(every));
      return;
    }
    String victim = leader.get();
    long pid = target.kill(victim);
    Instant killedAt = clock.instant();
    log.accept("chaos: killed the leader " + victim + " (pid " + pid + ") with SIGKILL; it stays down for "
        + PrometheusDuration.format(down));
    Optional<String> next = target.awaitLeaderOtherThan(victim, DEADLINE);
    log.accept(next.map(n -> "chaos: " + n + " is the new leader, elected within "
            + seconds(Duration.between(killedAt, clock.instant())) + " of the kill")
        .orElse("chaos: no new leader within " + PrometheusDuration.format(DEADLINE) + " of the kill"));
    pause.pause(down);
    try {
      long newPid = target.restart(victim);
      log.accept("chaos: restarted " + victim + " on its data dir (pid " + newPid + ")");
    } catch (DemoException e) {
      log.accept("chaos: cannot restart " + victim + ": " + e.getMessage());
      return;
    }
    Instant restartedAt = clock.instant();
    if (target.awaitRejoined(victim, DEADLINE)) {
      log.accept("chaos: " + victim + " is back and follows the leader, "
          + seconds(Duration.between(restartedAt, clock.instant())) + " after its restart");
    } else {
      log.accept("chaos: " + victim + " has not rejoined within " + PrometheusDuration.format(DEADLINE)
          + " of its restart");
    }
  }

  /** A measured time, to a tenth of a second: "1.5s". */
  static String seconds(Duration d) {
    return String.format(Locale.ROOT, "%.1fs", d.toMillis() / 1000.0);
  }
}
