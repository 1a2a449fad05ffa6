package io.raftwatch.collector.maintenance;

/**
 * The calls the maintenance jobs make on one member: etcd's {@code Maintenance.Status}, {@code
 * Maintenance.Defragment} and {@code KV.Compact}. Implemented over gRPC by {@link
 * GrpcMemberMaintenance}; tests may fake it. Calls block (a defragmentation takes as long as
 * rewriting the database) and are made from one maintenance thread at a time.
 */
public interface MemberMaintenance extends AutoCloseable {
  /** The member's name in the config. */
  String member();

  MemberStatus status() throws MaintenanceException;

  /** Rewrites the member's backend, giving the free pages back to the file system. */
  void defragment() throws MaintenanceException;

  /**
   * Drops the key-value history before {@code revision}, physically (the call returns once the
   * member has applied it). The compaction goes through raft, so one member is enough.
   */
  void compact(long revision) throws MaintenanceException;

  @Override
  void close();
}
