package io.raftwatch.raftkv.server;

/**
 * A request whose proposal exceeds --max-request-bytes; etcd's ErrRequestTooLarge, "etcdserver:
 * request is too large".
 */
public final class RequestTooLargeException extends RuntimeException {
  public RequestTooLargeException(int bytes, long limit) {
    super("etcdserver: request is too large (" + bytes + " bytes, limit " + limit + ")", null,
        false, false);
  }
}
