package io.raftwatch.collector.maintenance;

/**
 * What one member's {@code Maintenance.Status} said. Immutable.
 *
 * @param member the member's name in the config
 * @param memberId the member's raft id ({@code header.member_id})
 * @param leaderId the raft id of the leader the member knows; 0 when it knows none
 * @param dbSizeBytes the backend file's size
 * @param dbSizeInUseBytes the part of it in use; the rest is what a defragmentation frees
 * @param revision the key-value store's current revision ({@code header.revision})
 */
public record MemberStatus(String member, long memberId, long leaderId, long dbSizeBytes,
    long dbSizeInUseBytes, long revision) {

  /** Whether the member says it is the leader. */
  public boolean isLeader() {
    return leaderId != 0 && leaderId == memberId;
  }
}
