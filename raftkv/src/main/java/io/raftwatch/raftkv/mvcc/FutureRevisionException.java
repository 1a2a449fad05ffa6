package io.raftwatch.raftkv.mvcc;

/** A read or compaction asked for a revision above the current one (etcd {@code ErrFutureRev}). */
public final class FutureRevisionException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public FutureRevisionException() {
    super("mvcc: required revision is a future revision");
  }
}
