package io.raftwatch.collector.config;

import java.time.Duration;
import java.util.Optional;

/**
 * The per-cluster {@code maintenance:} section: opt-in jobs that change the cluster. Both are off
 * unless enabled. Immutable; read by {@code maintenance.MaintenanceJobs}.
 *
 * @param defrag defragment members one at a time
 * @param compact compact the key-value history
 * @param tls client TLS for the members' gRPC API; the cluster's {@code tls} when not given
 * @param timeout the limit for one call to a member (a defragment of a large database is slow)
 */
public record MaintenanceConfig(
    Defrag defrag, Compact compact, Optional<TlsConfig> tls, Duration timeout) {

  public static final Duration DEFAULT_TIMEOUT = Duration.ofMinutes(2);

  /** Nothing enabled: what a cluster without {@code maintenance:} means. */
  public static MaintenanceConfig disabled() {
    return new MaintenanceConfig(new Defrag(false, Optional.empty(), true),
        new Compact(false, Optional.empty(), Optional.empty(), Optional.empty()),
        Optional.empty(), DEFAULT_TIMEOUT);
  }

  /** Whether any job is enabled. */
  public boolean enabled() {
    return defrag.enabled() || compact.enabled();
  }

  /**
   * Defragmentation.
   *
   * @param enabled off by default
   * @param cron a Quartz cron expression on which every member is defragmented; empty means only
   *     on alert
   * @param onAlert defragment while {@code etcdDatabaseHighFragmentationRatio} fires for the
   *     cluster (default true when enabled)
   */
  public record Defrag(boolean enabled, Optional<String> cron, boolean onAlert) {}

  /**
   * Compaction of old revisions. Exactly one of {@code retainRevisions} and {@code retainPeriod}
   * is given when enabled.
   *
   * @param enabled off by default
   * @param cron a Quartz cron expression for the runs
   * @param retainRevisions keep the latest N revisions (compact to current - N)
   * @param retainPeriod keep the revisions of this window (compact to the revision seen this long
   *     ago)
   */
  public record Compact(
      boolean enabled, Optional<String> cron, Optional<Long> retainRevisions,
      Optional<Duration> retainPeriod) {}
}
