package io.raftwatch.raftkv.mvcc;

import io.prometheus.client.CollectorRegistry;
import io.prometheus.client.Counter;
import io.prometheus.client.Gauge;
import io.prometheus.client.Histogram;

/**
 * The mvcc and backend metrics, with etcd 3.4's names, types, help and buckets. Built once per
 * member with the registry passed in; the store, backend and watchable store update it from the
 * apply thread. Sample exposition lines:
 *
 * <pre>
 * etcd_mvcc_db_total_size_in_bytes 2.0480e+04
 * etcd_debugging_mvcc_db_total_size_in_bytes 2.0480e+04
 * etcd_mvcc_db_total_size_in_use_in_bytes 1.6384e+04
 * etcd_disk_backend_commit_duration_seconds_bucket{le="0.001"} 5
 * etcd_disk_backend_defrag_duration_seconds_bucket{le="0.1"} 0
 * etcd_debugging_mvcc_keys_total 3
 * etcd_debugging_mvcc_current_revision 7
 * etcd_debugging_mvcc_compact_revision 4
 * etcd_mvcc_put_total 5
 * etcd_mvcc_delete_total 1
 * etcd_mvcc_range_total 12
 * etcd_mvcc_txn_total 2
 * etcd_debugging_mvcc_watcher_total 1
 * etcd_debugging_mvcc_watch_stream_total 1
 * etcd_debugging_mvcc_slow_watcher_total 0
 * </pre>
 */
public final class MvccMetrics {
  final Gauge dbTotalSize;
  final Gauge debuggingDbTotalSize;
  final Gauge dbTotalSizeInUse;
  final Histogram commitDuration;
  final Histogram defragDuration;
  final Gauge keysTotal;
  final Gauge currentRevision;
  final Gauge compactRevision;
  final Counter putTotal;
  final Counter deleteTotal;
  final Counter rangeTotal;
  final Counter txnTotal;
  final Gauge watcherTotal;
  final Gauge watchStreamTotal;
  final Gauge slowWatcherTotal;

  public MvccMetrics(CollectorRegistry registry) {
    String dbSizeHelp = "Total size of the underlying database physically allocated in bytes.";
    dbTotalSize = Gauge.build("etcd_mvcc_db_total_size_in_bytes", dbSizeHelp).register(registry);
    debuggingDbTotalSize =
        Gauge.build("etcd_debugging_mvcc_db_total_size_in_bytes", dbSizeHelp).register(registry);
    dbTotalSizeInUse =
        Gauge.build(
                "etcd_mvcc_db_total_size_in_use_in_bytes",
                "Total size of the underlying database logically in use in bytes.")
            .register(registry);
    // etcd: prometheus.ExponentialBuckets(0.001, 2, 14), 1 ms to 8.192 s.
    commitDuration =
        Histogram.build(
                "etcd_disk_backend_commit_duration_seconds",
                "The latency distributions of commit called by backend.")
            .exponentialBuckets(0.001, 2, 14)
            .register(registry);
    // etcd: prometheus.ExponentialBuckets(.1, 2, 13), 100 ms to 409.6 s.
    defragDuration =
        Histogram.build(
                "etcd_disk_backend_defrag_duration_seconds",
                "The latency distribution of backend defragmentation.")
            .exponentialBuckets(0.1, 2, 13)
            .register(registry);
    keysTotal =
        Gauge.build("etcd_debugging_mvcc_keys_total", "Total number of keys.").register(registry);
    currentRevision =
        Gauge.build("etcd_debugging_mvcc_current_revision", "The current revision of store.")
            .register(registry);
    compactRevision =
        Gauge.build(
                "etcd_debugging_mvcc_compact_revision",
                "The revision of the last compaction in store.")
            .register(registry);
    putTotal =
        Counter.build("etcd_mvcc_put_total", "Total number of puts seen by this member.")
            .register(registry);
    deleteTotal =
        Counter.build("etcd_mvcc_delete_total", "Total number of deletes seen by this member.")
            .register(registry);
    rangeTotal =
        Counter.build("etcd_mvcc_range_total", "Total number of ranges seen by this member.")
            .register(registry);
    txnTotal =
        Counter.build("etcd_mvcc_txn_total", "Total number of txns seen by this member.")
            .register(registry);
    watcherTotal =
        Gauge.build("etcd_debugging_mvcc_watcher_total", "Total number of watchers.")
            .register(registry);
    watchStreamTotal =
        Gauge.build("etcd_debugging_mvcc_watch_stream_total", "Total number of watch streams.")
            .register(registry);
    slowWatcherTotal =
        Gauge.build(
                "etcd_debugging_mvcc_slow_watcher_total", "Total number of unsynced slow watchers.")
            .register(registry);
  }

  void observeSize(long size, long sizeInUse) {
    dbTotalSize.set(size);
    debuggingDbTotalSize.set(size);
    dbTotalSizeInUse.set(sizeInUse);
  }
}
