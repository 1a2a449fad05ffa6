package io.raftwatch.raftkv.server;

/**
 * A proposal this follower forwarded to the leader that the transport could not deliver. Whether it
 * reaches the log is unknown, so clients get etcd's "etcdserver: request timed out", at once rather
 * than after the request timeout.
 */
public final class ForwardDroppedException extends RuntimeException {
  public ForwardDroppedException() {
    super("etcdserver: request timed out (the forward to the leader was dropped)", null, false,
        false);
  }
}
