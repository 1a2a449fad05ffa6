package io.raftwatch.raftkv.server;

/**
 * A request only the leader serves (lease KeepAlive) reached another member (etcd ErrNotLeader).
 */
public final class NotLeaderException extends RuntimeException {
  public NotLeaderException() {
    super("etcdserver: not leader");
  }
}
