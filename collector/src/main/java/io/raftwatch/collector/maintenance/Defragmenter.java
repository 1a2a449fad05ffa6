package io.raftwatch.collector.maintenance;

import io.raftwatch.collector.history.MaintenanceRun;
import io.raftwatch.collector.history.MaintenanceRun.Outcome;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * One defragmentation pass over a cluster, the way operators do it by hand: one member at a time,
 * the followers first and the leader last (defragmenting the leader blocks it, and with it the
 * cluster's writes, so that happens once, at the end), each member's run recorded.
 *
 * <p>It refuses to start while any member is unreachable or the members do not agree on a leader:
 * a member being defragmented does not serve, so with another one already down a 3-member cluster
 * would lose its quorum. A failure stops the pass; the members after it are recorded as skipped.
 * Before each member the caller's condition is asked again (for a pass started by the
 * fragmentation alert: does it still fire for that member?).
 *
 * <p>Runs on the maintenance thread of its cluster; the caller makes sure there is never more
 * than one pass per cluster at a time. Never throws for a member's failure: it is recorded.
 */
public final class Defragmenter {
  static final String ACTION = "defragment";

  private final String cluster;
  private final List<MemberMaintenance> members;
  private final Clock clock;
  private final Consumer<MaintenanceRun> record;
  private final String instance;

  /**
   * @param members every member of the cluster, in config order
   * @param record where each member's run goes (the history)
   * @param instance which collector runs it, for the record
   */
  public Defragmenter(String cluster, List<MemberMaintenance> members, Clock clock,
      Consumer<MaintenanceRun> record, String instance) {
    this.cluster = cluster;
    this.members = List.copyOf(members);
    this.clock = clock;
    this.record = record;
    this.instance = instance;
  }

  /**
   * Defragments the members {@code wanted} accepts, followers first, leader last.
   *
   * @param wanted asked for each member before the pass and again just before its turn
   * @param reason why the pass runs ("cron", "alert etcdDatabaseHighFragmentationRatio"), recorded
   * @return the runs recorded, in order
   */
  public List<MaintenanceRun> run(Predicate<String> wanted, String reason) {
    List<MaintenanceRun> runs = new ArrayList<>();
    Instant start = clock.instant();
    List<MemberStatus> statuses = new ArrayList<>();
    for (MemberMaintenance m : members) {
      try {
        statuses.add(m.status());
      } catch (MaintenanceException e) {
        runs.add(add(new MaintenanceRun(cluster, "", ACTION, start, clock.instant(), Outcome.SKIPPED,
            reason + ": not started, " + e.getMessage() + "; defragmenting another member could"
                + " cost the quorum", instance)));
        return runs;
      }
    }
    Optional<String> problem = leaderProblem(statuses);
    if (problem.isPresent()) {
      runs.add(add(new MaintenanceRun(cluster, "", ACTION, start, clock.instant(), Outcome.SKIPPED,
          reason + ": not started, " + problem.get(), instance)));
      return runs;
    }
    Deque<MemberMaintenance> queue = new ArrayDeque<>(order(statuses));
    queue.removeIf(m -> !wanted.test(m.member()));
    boolean leaderMoved = false;
    while (!queue.isEmpty()) {
      MemberMaintenance m = queue.pollFirst();
      Instant started = clock.instant();
      if (!wanted.test(m.member())) {
        runs.add(add(run(m, started, Outcome.SKIPPED, reason + ": no longer needed")));
        continue;
      }
      MemberStatus before;
      try {
        before = m.status();
        if (before.isLeader() && !queue.isEmpty() && !leaderMoved) {
          // Leadership moved to a member planned as a follower: it goes last now.
          leaderMoved = true;
          queue.addLast(m);
          continue;
        }
        m.defragment();
        MemberStatus after = m.status();
        runs.add(add(run(m, started, Outcome.SUCCEEDED, reason + ": " + (before.isLeader()
            ? "leader" : "follower") + ", db " + size(before.dbSizeBytes()) + " -> "
            + size(after.dbSizeBytes()) + " (in use " + size(after.dbSizeInUseBytes()) + ")")));
      } catch (MaintenanceException e) {
        runs.add(add(run(m, started, Outcome.FAILED, reason + ": " + e.getMessage())));
        for (MemberMaintenance rest : queue) {
          runs.add(add(run(rest, clock.instant(), Outcome.SKIPPED, reason + ": not attempted,"
              + " the defragmentation of " + m.member() + " failed")));
        }
        return runs;
      }
    }
    return runs;
  }

  /** Followers in config order, then the leader. */
  static List<MemberMaintenance> order(List<MemberMaintenance> members, List<MemberStatus> statuses) {
    List<MemberMaintenance> followers = new ArrayList<>();
    List<MemberMaintenance> leader = new ArrayList<>();
    for (int i = 0; i < members.size(); i++) {
      (statuses.get(i).isLeader() ? leader : followers).add(members.get(i));
    }
    followers.addAll(leader);
    return followers;
  }

  private List<MemberMaintenance> order(List<MemberStatus> statuses) {
    return order(members, statuses);
  }

  /** Why the pass must not start: no leader, or members that disagree on it. */
  static Optional<String> leaderProblem(List<MemberStatus> statuses) {
    long leaders = statuses.stream().filter(MemberStatus::isLeader).count();
    long distinct = statuses.stream().mapToLong(MemberStatus::leaderId).distinct().count();
    if (leaders != 1 || distinct != 1) {
      return Optional.of("the members do not agree on one leader (leader ids "
          + statuses.stream().map(s -> s.member() + "=" + Long.toHexString(s.leaderId())).toList()
          + "); an election is under way");
    }
    return Optional.empty();
  }

  private MaintenanceRun run(MemberMaintenance m, Instant started, Outcome outcome, String detail) {
    return new MaintenanceRun(cluster, m.member(), ACTION, started, clock.instant(), outcome, detail,
        instance);
  }

  private MaintenanceRun add(MaintenanceRun r) {
    record.accept(r);
    return r;
  }

  static String size(long bytes) {
    return String.format(java.util.Locale.ROOT, "%.1f MiB", bytes / 1048576.0);
  }
}
