package io.raftwatch.raftkv.server;

/**
 * A write refused because the backend reached its quota (--quota-backend-bytes) or a NOSPACE alarm
 * is raised; etcd's ErrNoSpace, "etcdserver: mvcc: database space exceeded".
 */
public final class NoSpaceException extends RuntimeException {
  public NoSpaceException() {
    super("etcdserver: mvcc: database space exceeded", null, false, false);
  }
}
