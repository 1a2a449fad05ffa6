package io.raftwatch.raftkv.storage;

import io.prometheus.client.CollectorRegistry;
import io.prometheus.client.Gauge;
import io.prometheus.client.Histogram;

/**
 * The disk metrics etcd 3.4 exposes for its WAL and snapshotter, under etcd's names, help texts and
 * buckets (0.001 s doubling to 8.192 s), registered in the registry passed in. Updated by {@link
 * Wal} and {@link Snapshotter} from whichever thread does the I/O; the collectors are thread-safe.
 *
 * <pre>
 * etcd_disk_wal_fsync_duration_seconds_bucket{le="0.001"} 7
 * etcd_debugging_snap_save_total_duration_seconds_count 0
 * etcd_disk_wal_write_bytes_total 12456
 * </pre>
 */
public final class StorageMetrics {
  final Histogram walFsyncDuration;
  final Histogram snapSaveDuration;
  final Gauge walWriteBytes; // NB: a gauge despite _total, as in etcd 3.4 (wal/metrics.go).

  public StorageMetrics(CollectorRegistry registry) {
    walFsyncDuration =
        Histogram.build()
            .name("etcd_disk_wal_fsync_duration_seconds")
            .help("The latency distributions of fsync called by WAL.")
            .exponentialBuckets(0.001, 2, 14)
            .register(registry);
    snapSaveDuration =
        Histogram.build()
            .name("etcd_debugging_snap_save_total_duration_seconds")
            .help("The total latency distributions of save called by snapshot.")
            .exponentialBuckets(0.001, 2, 14)
            .register(registry);
    walWriteBytes =
        Gauge.build()
            .name("etcd_disk_wal_write_bytes_total")
            .help("Total number of bytes written in WAL.")
            .register(registry);
  }
}
