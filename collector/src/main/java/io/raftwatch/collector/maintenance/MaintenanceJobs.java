package io.raftwatch.collector.maintenance;

import io.raftwatch.collector.config.ClusterConfig;
import io.raftwatch.collector.config.MaintenanceConfig;
import io.raftwatch.collector.config.MemberConfig;
import io.raftwatch.collector.history.AlertEvent;
import io.raftwatch.collector.history.AlertEventListener;
import io.raftwatch.collector.history.MaintenanceRun;
import io.raftwatch.collector.jobs.Collector;
import io.raftwatch.collector.promql.Value;
import io.raftwatch.collector.rules.AlertState;
import io.raftwatch.collector.scrape.ClientTls;
import io.raftwatch.collector.scrape.TlsMaterialException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The opt-in maintenance chores of every cluster whose {@code maintenance:} section enables them:
 * defragmentation on a cron and/or while {@code etcdDatabaseHighFragmentationRatio} fires for a
 * member, compaction on a cron. Cron fires run on the collector's scheduler (so with several
 * collectors each fire runs once); an alert-started pass runs on the cluster's own maintenance
 * thread, never on the health-check thread that reported the alert. Per cluster, one chore at a
 * time: a lock is held for the whole pass.
 *
 * <p>Built by {@code raftwatch run}'s composition root before the collector starts; thread-safe.
 */
public final class MaintenanceJobs implements AlertEventListener, AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(MaintenanceJobs.class);
  /** The shipped rule whose firing asks for a defragmentation. */
  public static final String FRAGMENTATION_ALERT = "etcdDatabaseHighFragmentationRatio";
  static final String DEFRAG_JOB = "maintenance-defragment";
  static final String COMPACT_JOB = "maintenance-compact";

  /** Whether the fragmentation alert fires now for a member of a cluster. */
  @FunctionalInterface
  interface FiringCheck {
    boolean firing(String cluster, String member);
  }

  /** One cluster's chores, their members' clients, lock and thread. */
  static final class ClusterChores {
    final String cluster;
    final MaintenanceConfig config;
    final List<MemberMaintenance> members;
    final Defragmenter defragmenter;
    final Compactor compactor;
    final ReentrantLock lock = new ReentrantLock();
    final AtomicBoolean alertPassQueued = new AtomicBoolean();
    final ExecutorService thread;

    ClusterChores(String cluster, MaintenanceConfig config, List<MemberMaintenance> members,
        Defragmenter defragmenter, Compactor compactor) {
      this.cluster = cluster;
      this.config = config;
      this.members = members;
      this.defragmenter = defragmenter;
      this.compactor = compactor;
      this.thread = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "raftwatch-maintenance-" + cluster);
        t.setDaemon(true);
        return t;
      });
    }
  }

  private final Map<String, ClusterChores> chores;
  private final FiringCheck firing;

  MaintenanceJobs(Map<String, ClusterChores> chores, FiringCheck firing) {
    this.chores = Map.copyOf(chores);
    this.firing = firing;
  }

  /**
   * Builds the chores of every cluster that enables one, schedules the cron ones on {@code
   * collector} and listens for the fragmentation alert. Call before {@link Collector#start()}.
   *
   * @throws TlsMaterialException when a cluster's TLS files cannot be used
   * @throws IllegalArgumentException when a cron expression is wrong (the message says which)
   */
  public static MaintenanceJobs attach(Collector collector) throws TlsMaterialException {
    Clock clock = collector.options().clock();
    Consumer<MaintenanceRun> record = r -> {
      collector.history().recordMaintenance(r);
      log.info("maintenance {} {} {}: {} ({})", r.cluster(), r.action(), r.member(), r.outcome(),
          r.detail());
    };
    Map<String, ClusterChores> chores = new LinkedHashMap<>();
    for (ClusterConfig c : collector.config().clusters()) {
      MaintenanceConfig m = c.maintenance();
      if (!m.enabled()) {
        continue;
      }
      ClientTls tls = ClientTls.load(m.tls().or(c::tls), clock.instant());
      List<MemberMaintenance> members = new ArrayList<>();
      for (MemberConfig member : c.members()) {
        members.add(new GrpcMemberMaintenance(member.name(), member.url(), tls, m.timeout()));
      }
      String instance = collector.instanceId();
      chores.put(c.name(), new ClusterChores(c.name(), m, members,
          new Defragmenter(c.name(), members, clock, record, instance),
          new Compactor(c.name(), members, m.compact(), at -> revisionAt(collector, c.name(), at),
              clock, record, instance)));
    }
    MaintenanceJobs jobs = new MaintenanceJobs(chores, (cluster, member) -> collector.cluster(cluster)
        .map(w -> w.state().alerts(AlertState.FIRING).stream().anyMatch(a ->
            a.alertname().equals(FRAGMENTATION_ALERT) && member.equals(a.labels().get("member"))))
        .orElse(false));
    for (ClusterChores cc : chores.values()) {
      if (cc.config.defrag().enabled() && cc.config.defrag().cron().isPresent()) {
        collector.addCronJob(DEFRAG_JOB, cc.cluster, cc.config.defrag().cron().get(),
            fireTime -> jobs.defragment(cc, m -> true, "cron"));
      }
      if (cc.config.compact().enabled()) {
        collector.addCronJob(COMPACT_JOB, cc.cluster, cc.config.compact().cron().orElseThrow(),
            fireTime -> jobs.compact(cc));
      }
    }
    collector.addListener(jobs);
    return jobs;
  }

  /**
   * Starts a defragmentation pass on the cluster's maintenance thread when the fragmentation
   * alert starts firing for one of its members (and the cluster allows it); returns at once.
   */
  @Override
  public void onEvents(List<AlertEvent> events) {
    // The clusters first, then one pass each: members firing in the same evaluation share a pass.
    Set<ClusterChores> due = new LinkedHashSet<>();
    for (AlertEvent e : events) {
      ClusterChores cc = chores.get(e.cluster());
      if (cc != null && e.kind() == AlertEvent.Kind.FIRING && e.alertname().equals(FRAGMENTATION_ALERT)
          && cc.config.defrag().enabled() && cc.config.defrag().onAlert()) {
        due.add(cc);
      }
    }
    for (ClusterChores cc : due) {
      // One queued pass covers every member that fires by the time it runs.
      if (cc.alertPassQueued.compareAndSet(false, true)) {
        cc.thread.execute(() -> {
          cc.alertPassQueued.set(false);
          defragment(cc, member -> firing.firing(cc.cluster, member), "alert " + FRAGMENTATION_ALERT);
        });
      }
    }
  }

  /** Runs a pass now on the calling thread, after any chore of the cluster in progress. */
  List<MaintenanceRun> defragment(ClusterChores cc, java.util.function.Predicate<String> wanted,
      String reason) {
    cc.lock.lock();
    try {
      return cc.defragmenter.run(wanted, reason);
    } finally {
      cc.lock.unlock();
    }
  }

  MaintenanceRun compact(ClusterChores cc) {
    cc.lock.lock();
    try {
      return cc.compactor.run();
    } finally {
      cc.lock.unlock();
    }
  }

  /** The clusters with a chore, for the start-up message. */
  public Set<String> clusters() {
    return chores.keySet().stream().collect(Collectors.toUnmodifiableSet());
  }

  /** The highest {@code etcd_debugging_mvcc_current_revision} of the cluster's members at {@code at}. */
  private static OptionalLong revisionAt(Collector collector, String cluster, Instant at) {
    String name = cluster.replace("\\", "\\\\").replace("\"", "\\\"");
    Value v = collector.engine().instantQuery(
        "max(etcd_debugging_mvcc_current_revision{cluster=\"" + name + "\"})", at);
    if (v instanceof Value.Vector vec && !vec.samples().isEmpty()) {
      return OptionalLong.of((long) vec.samples().get(0).value());
    }
    return OptionalLong.empty();
  }

  @Override
  public void close() {
    for (ClusterChores cc : chores.values()) {
      cc.thread.shutdownNow();
      try {
        cc.thread.awaitTermination(5, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      cc.members.forEach(MemberMaintenance::close);
    }
  }
}
