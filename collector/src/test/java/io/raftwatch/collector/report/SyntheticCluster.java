package io.raftwatch.collector.report;

import io.raftwatch.collector.tsdb.Labels;
import io.raftwatch.collector.tsdb.SampleBatch;
import io.raftwatch.collector.tsdb.SeriesStore;
import java.time.Duration;
import java.time.Instant;

/**
 * An hour of etcd series for a three-member cluster "prod", written straight into a store: member
 * "b" leads, member "c" stops answering 20 minutes before the end, its fsyncs are slow, and the
 * third member's name carries markup so that escaping is tested by every rendering.
 */
final class SyntheticCluster {
  static final Instant END = Instant.parse("2026-11-24T12:00:00Z");
  static final Duration SCRAPE = Duration.ofSeconds(15);
  static final String EVIL = "c<b>&\"'";
  static final String[] MEMBERS = {"a", "b", EVIL};
  static final double[] BUCKETS = {0.001, 0.002, 0.004, 0.008, 0.016, 0.032, 0.064, 0.128};

  private SyntheticCluster() {}

  static SeriesStore store() throws Exception {
    SeriesStore store = new SeriesStore(100_000, Duration.ofDays(365));
    SampleBatch batch = new SampleBatch();
    long start = END.minus(Duration.ofHours(1)).toEpochMilli();
    for (long t = start; t <= END.toEpochMilli(); t += SCRAPE.toMillis()) {
      batch.clear();
      int step = (int) ((t - start) / SCRAPE.toMillis());
      for (int i = 0; i < MEMBERS.length; i++) {
        boolean down = i == 2 && t > END.toEpochMilli() - Duration.ofMinutes(20).toMillis();
        Labels base = Labels.of("cluster", "prod", "job", "etcd", "instance", "10.0.0." + (i + 1) + ":2379",
            "member", MEMBERS[i]);
        batch.add(with(base, "up"), t, down ? 0 : 1);
        if (down) {
          continue;
        }
        batch.add(with(base, "etcd_server_is_leader"), t, i == 1 ? 1 : 0);
        batch.add(with(base, "etcd_server_has_leader"), t, 1);
        batch.add(with(base, "etcd_server_leader_changes_seen_total"), t, step < 100 ? 1 : 2);
        batch.add(with(base, "etcd_server_proposals_committed_total"), t, 1000 + 10 * step);
        batch.add(with(base, "etcd_server_proposals_applied_total"), t, 1000 + 10 * step);
        batch.add(with(base, "etcd_server_proposals_pending"), t, step % 7 == 0 ? 3 : 0);
        batch.add(with(base, "etcd_server_proposals_failed_total"), t, step / 60);
        batch.add(with(base, "etcd_mvcc_db_total_size_in_bytes"), t, 20_000_000 + 10_000 * step);
        batch.add(with(base, "etcd_server_quota_backend_bytes"), t, 2147483648.0);
        batch.add(with(base, "process_open_fds"), t, 100 + i);
        batch.add(with(base, "process_max_fds"), t, 1_048_576);
        batch.add(with(base, "process_resident_memory_bytes"), t, 80_000_000 + i);
        // Member c's fsyncs land in the 32-64 ms bucket, the others' in 1-2 ms.
        for (String h : new String[] {"etcd_disk_wal_fsync_duration_seconds",
            "etcd_disk_backend_commit_duration_seconds"}) {
          double slowFrom = i == 2 ? 0.064 : 0.002;
          for (double le : BUCKETS) {
            batch.add(with(base, h + "_bucket").toBuilder().set("le", Double.toString(le)).build(),
                t, le >= slowFrom ? 10.0 * step : 0);
          }
          batch.add(with(base, h + "_bucket").toBuilder().set("le", "+Inf").build(), t, 10.0 * step);
          batch.add(with(base, h + "_count"), t, 10.0 * step);
        }
      }
      // An alert: member c down, pending for the first 5 minutes of its outage, then firing.
      long downFor = t - (END.toEpochMilli() - Duration.ofMinutes(20).toMillis());
      if (downFor > 0) {
        Labels alert = Labels.of("alertname", "etcdMemberScrapeFailing", "cluster", "prod",
            "job", "etcd", "instance", "10.0.0.3:2379", "member", EVIL, "severity", "warning");
        batch.add(alert.toBuilder().set("__name__", "ALERTS")
            .set("alertstate", downFor > Duration.ofMinutes(5).toMillis() ? "firing" : "pending")
            .build(), t, 1);
      }
      store.append("prod", batch);
    }
    return store;
  }

  private static Labels with(Labels base, String name) {
    return base.toBuilder().set("__name__", name).build();
  }
}
