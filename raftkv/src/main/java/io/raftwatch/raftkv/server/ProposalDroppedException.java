package io.raftwatch.raftkv.server;

/** A proposal that no leader accepted; etcd answers such requests with "etcdserver: no leader". */
public final class ProposalDroppedException extends RuntimeException {
  public ProposalDroppedException() {
    super("etcdserver: no leader", null, false, false);
  }
}
