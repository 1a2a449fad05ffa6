package io.raftwatch.raftkv.mvcc;

/**
 * A read or compaction asked for a revision at or below the compacted revision (etcd {@code
 * ErrCompacted}). Carries the compacted revision, which a watch response reports.
 */
public final class CompactedException extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final long compactRevision;

  public CompactedException(long compactRevision) {
    super("mvcc: required revision has been compacted");
    this.compactRevision = compactRevision;
  }

  /** The store's compacted revision when the request failed. */
  public long compactRevision() {
    return compactRevision;
  }
}
