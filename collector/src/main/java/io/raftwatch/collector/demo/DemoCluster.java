package io.raftwatch.collector.demo;

import io.raftwatch.collector.config.PrometheusDuration;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The demo's raftkv members as processes: starts them, waits for a leader, and kills, restarts and
 * stops them. A member that exits while the demo waits for it fails the wait with a {@link
 * DemoException} carrying what raftkv said and the end of its log.
 *
 * <p>Used by {@link Demo} on the main thread and by {@link Chaos} on its thread; each {@link
 * MemberProcess} serializes the operations on its process.
 */
public final class DemoCluster implements Chaos.Target, AutoCloseable {
  /** How long a member may take to end after SIGTERM before it gets SIGKILL. */
  public static final Duration STOP_GRACE = Duration.ofSeconds(10);
  static final int LOG_TAIL_LINES = 15;
  private static final Duration POLL = Duration.ofMillis(200);

  private final DemoDirectory dir;
  private final Map<String, MemberProcess> members = new LinkedHashMap<>();
  private final LeaderProbe probe;
  private final Clock clock;
  private final Consumer<String> progress;
  private boolean closed; // guarded by this: once closed, nothing is restarted

  public DemoCluster(DemoDirectory dir, DemoPki pki, RaftkvLauncher launcher, LeaderProbe probe, Clock clock,
      Consumer<String> progress) {
    this.dir = dir;
    this.probe = probe;
    this.clock = clock;
    this.progress = progress;
    for (MemberPorts m : dir.members()) {
      members.put(m.name(), new MemberProcess(m.name(), launcher.command(m, dir.members(), dir, pki),
          dir.logFile(m.name())));
    }
  }

  /** The members in order. */
  public List<MemberProcess> members() {
    return List.copyOf(members.values());
  }

  /** Starts every member, reporting each with its pid. */
  public void start() throws IOException {
    for (MemberPorts m : dir.members()) {
      MemberProcess p = members.get(m.name());
      p.start(clock.instant());
      long pid = p.pid().orElse(-1L);
      dir.recordPid(m.name(), pid);
      progress.accept("started " + m.name() + " (pid " + pid + "): clients " + m.clientUrl()
          + ", peers " + m.peerUrl() + ", metrics " + m.metricsUrl() + ", log " + p.logFile());
    }
  }

  /**
   * Waits until a member leads and every member knows it.
   *
   * @throws DemoException when a member exits meanwhile, or no leader is there by {@code within}
   */
  public String awaitLeader(Duration within) throws DemoException, InterruptedException {
    Instant end = clock.instant().plus(within);
    while (true) {
      for (MemberProcess p : members.values()) {
        if (!p.isAlive()) {
          throw new DemoException(failedToStart(p));
        }
      }
      List<LeaderProbe.MemberView> views = probe.probe();
      Optional<String> leader = views.stream().filter(LeaderProbe.MemberView::isLeader)
          .map(LeaderProbe.MemberView::member).findFirst();
      if (leader.isPresent() && views.stream().allMatch(LeaderProbe.MemberView::hasLeader)) {
        return leader.get();
      }
      if (clock.instant().isAfter(end)) {
        StringBuilder why = new StringBuilder("no leader within " + PrometheusDuration.format(within) + ":");
        for (LeaderProbe.MemberView v : views) {
          why.append("\n  ").append(v.member()).append(": ").append(v.error().orElse(
              v.isLeader() ? "leader" : v.hasLeader() ? "follower" : "up, no leader known"));
        }
        why.append("\nthe members' logs are in ").append(dir.logs());
        throw new DemoException(why.toString());
      }
      Thread.sleep(POLL.toMillis());
    }
  }

  @Override
  public Optional<String> leader() {
    return probe.leader();
  }

  @Override
  public long kill(String member) throws InterruptedException {
    MemberProcess p = member(member);
    long pid = p.pid().orElse(-1L);
    p.kill();
    return pid;
  }

  @Override
  public Optional<String> awaitLeaderOtherThan(String member, Duration within) throws InterruptedException {
    Instant end = clock.instant().plus(within);
    while (clock.instant().isBefore(end)) {
      Optional<String> leader = probe.probe().stream()
          .filter(v -> v.isLeader() && !v.member().equals(member)).map(LeaderProbe.MemberView::member).findFirst();
      if (leader.isPresent()) {
        return leader;
      }
      Thread.sleep(POLL.toMillis());
    }
    return Optional.empty();
  }

  @Override
  public synchronized long restart(String member) throws DemoException, InterruptedException {
    if (closed) {
      throw new DemoException("the demo is stopping");
    }
    MemberProcess p = member(member);
    try {
      p.start(clock.instant());
      long pid = p.pid().orElseThrow(() -> new DemoException(failedToStart(p)));
      dir.recordPid(member, pid);
      return pid;
    } catch (IOException e) {
      throw new DemoException("cannot start " + member + ": " + e.getMessage());
    }
  }

  @Override
  public boolean awaitRejoined(String member, Duration within) throws InterruptedException {
    MemberProcess p = member(member);
    Instant end = clock.instant().plus(within);
    while (clock.instant().isBefore(end) && p.isAlive()) {
      LeaderProbe.MemberView v = probe.probe(member);
      if (v.up() && v.hasLeader()) {
        return true;
      }
      Thread.sleep(POLL.toMillis());
    }
    return false;
  }

  /** Stops every member: SIGTERM, then SIGKILL after {@link #STOP_GRACE}; reports each. */
  @Override
  public synchronized void close() throws InterruptedException {
    if (closed) {
      return;
    }
    closed = true;
    List<MemberProcess> running = new ArrayList<>();
    for (MemberProcess p : members.values()) {
      if (p.isAlive()) {
        running.add(p);
      }
    }
    for (MemberProcess p : running) {
      long pid = p.pid().orElse(-1L);
      boolean clean = p.stop(STOP_GRACE);
      progress.accept("stopped " + p.name() + " (pid " + pid + ")"
          + (clean ? "" : ": it ignored SIGTERM for " + Chaos.seconds(STOP_GRACE) + ", so it was killed"));
    }
    probe.close();
  }

  private MemberProcess member(String name) {
    MemberProcess p = members.get(name);
    if (p == null) {
      throw new IllegalArgumentException("no member " + name);
    }
    return p;
  }

  /** Why {@code p} ended: raftkv's own complaint, its exit status and the end of its log. */
  static String failedToStart(MemberProcess p) {
    StringBuilder s = new StringBuilder(p.name() + " exited" + p.exitStatus().map(c -> " with status " + c).orElse(""));
    try {
      List<String> complaints = p.complaints();
      if (!complaints.isEmpty()) {
        s.append(": ").append(complaints.get(complaints.size() - 1).substring("raftkv: ".length()));
      }
      s.append("\nthe end of its log, ").append(p.logFile()).append(':');
      for (String line : p.logTail(LOG_TAIL_LINES)) {
        s.append("\n  | ").append(line);
      }
    } catch (IOException e) {
      s.append("\n(its log ").append(p.logFile()).append(" cannot be read: ").append(e.getMessage()).append(')');
    }
    return s.toString();
  }
}
