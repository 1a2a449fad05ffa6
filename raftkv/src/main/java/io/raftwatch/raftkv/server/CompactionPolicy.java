package io.raftwatch.raftkv.server;

import java.time.Duration;
import java.time.Instant;

/**
 * When to compact the key history on its own ({@code --auto-compaction-mode} and {@code
 * --auto-compaction-retention}, etcd 3.4's v3compactor): a plain object driven by {@link
 * AutoCompactor}, which calls {@link #onTimer} at start and then every {@link #checkInterval}, and
 * reports each compaction that took. Single-threaded; time comes in as a parameter.
 */
public interface CompactionPolicy {
  /** How often {@link #onTimer} is called. */
  Duration checkInterval();

  /**
   * Sees the store's revision at {@code now}; returns the revision to compact now, or 0. Only a
   * leader compacts: on other members it only keeps its records.
   */
  long onTimer(Instant now, long currentRevision, boolean leader);

  /** The compaction asked for at revision is done (or was compacted already) at now. */
  void compacted(long revision, Instant now);

  /**
   * The policy for etcd's flags, or null when auto-compaction is off (retention "0").
   *
   * @param revisionCheck how often revision mode checks (etcd: 5 minutes)
   */
  static CompactionPolicy of(String mode, String retention, Duration revisionCheck) {
    if (retention.matches("0+")) {
      return null;
    }
    if ("revision".equals(mode)) {
      return new RevisionCompaction(Long.parseLong(retention), revisionCheck);
    }
    return new PeriodicCompaction(PeriodicCompaction.retention(retention));
  }
}
