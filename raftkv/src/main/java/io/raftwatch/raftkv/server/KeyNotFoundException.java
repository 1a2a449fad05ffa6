package io.raftwatch.raftkv.server;

/**
 * A put with ignore_value or ignore_lease found no current version of its key (etcd
 * ErrKeyNotFound).
 */
public final class KeyNotFoundException extends RuntimeException {
  public KeyNotFoundException() {
    super("etcdserver: key not found");
  }
}
