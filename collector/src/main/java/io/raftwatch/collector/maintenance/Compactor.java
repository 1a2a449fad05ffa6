package io.raftwatch.collector.maintenance;

import io.raftwatch.collector.config.MaintenanceConfig;
import io.raftwatch.collector.history.MaintenanceRun;
import io.raftwatch.collector.history.MaintenanceRun.Outcome;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.OptionalLong;
import java.util.function.Consumer;

/**
 * One compaction of a cluster's key-value history: keep the latest N revisions, or the revisions
 * of a time window (the revision the collector saw that long ago, as etcd's periodic
 * auto-compaction does), and compact everything older, physically. Compaction goes through raft,
 * so one member is asked; the run is recorded cluster-wide. Runs on the maintenance thread of its
 * cluster; never throws for a member's failure: it is recorded.
 */
public final class Compactor {
  static final String ACTION = "compact";

  /** The revision the cluster had at a past time, from the collector's own samples. */
  @FunctionalInterface
  public interface RevisionAt {
    OptionalLong revision(Instant at);
  }

  private final String cluster;
  private final List<MemberMaintenance> members;
  private final MaintenanceConfig.Compact config;
  private final RevisionAt past;
  private final Clock clock;
  private final Consumer<MaintenanceRun> record;
  private final String instance;

  public Compactor(String cluster, List<MemberMaintenance> members, MaintenanceConfig.Compact config,
      RevisionAt past, Clock clock, Consumer<MaintenanceRun> record, String instance) {
    this.cluster = cluster;
    this.members = List.copyOf(members);
    this.config = config;
    this.past = past;
    this.clock = clock;
    this.record = record;
    this.instance = instance;
  }

  /** Compacts once; returns the recorded run. */
  public MaintenanceRun run() {
    Instant started = clock.instant();
    MemberStatus status = null;
    MaintenanceException lastFailure = null;
    MemberMaintenance via = null;
    for (MemberMaintenance m : members) {
      try {
        status = m.status();
        via = m;
        break;
      } catch (MaintenanceException e) {
        lastFailure = e;
      }
    }
    if (status == null) {
      return add(started, Outcome.FAILED, "no member answered: " + lastFailure.getMessage());
    }
    long current = status.revision();
    long target;
    String keeping;
    if (config.retainRevisions().isPresent()) {
      long keep = config.retainRevisions().get();
      target = current - keep;
      keeping = "keeping the latest " + keep + " revisions";
    } else {
      java.time.Duration period = config.retainPeriod().orElseThrow();
      OptionalLong then = past.revision(started.minus(period));
      if (then.isEmpty()) {
        return add(started, Outcome.SKIPPED, "no revision recorded "
            + io.raftwatch.collector.config.PrometheusDuration.format(period)
            + " ago yet; the collector has not watched the cluster that long");
      }
      target = then.getAsLong();
      keeping = "keeping " + io.raftwatch.collector.config.PrometheusDuration.format(period);
    }
    if (target <= 1) {
      return add(started, Outcome.SKIPPED, "revision " + current + ": nothing to compact, "
          + keeping);
    }
    try {
      via.compact(target);
      return add(started, Outcome.SUCCEEDED, "compacted to revision " + target + " (current "
          + current + ", " + keeping + ") via " + via.member());
    } catch (MaintenanceException e) {
      if (e.getMessage().contains("required revision has been compacted")) {
        return add(started, Outcome.SKIPPED, "already compacted past revision " + target + " ("
            + keeping + ")");
      }
      return add(started, Outcome.FAILED, e.getMessage());
    }
  }

  private MaintenanceRun add(Instant started, Outcome outcome, String detail) {
    MaintenanceRun r = new MaintenanceRun(cluster, "", ACTION, started, clock.instant(), outcome,
        detail, instance);
    record.accept(r);
    return r;
  }
}
