package io.raftwatch.raftkv.server;

import java.time.Duration;
import java.time.Instant;

/**
 * etcd 3.4's revision auto-compaction: at every check (etcd: every 5 minutes) the leader compacts
 * to the current revision minus {@code retention}, unless that is not positive or was compacted
 * last time. See {@link CompactionPolicy} for who calls it.
 */
final class RevisionCompaction implements CompactionPolicy {
  private final long retention;
  private final Duration checkInterval;
  private long previous;

  RevisionCompaction(long retention, Duration checkInterval) {
    this.retention = retention;
    this.checkInterval = checkInterval;
  }

  @Override
  public Duration checkInterval() {
    return checkInterval;
  }

  @Override
  public long onTimer(Instant now, long currentRevision, boolean leader) {
    long revision = currentRevision - retention;
    if (!leader || revision <= 0 || revision == previous) {
      return 0;
    }
    return revision;
  }

  @Override
  public void compacted(long revision, Instant now) {
    previous = revision;
  }
}
