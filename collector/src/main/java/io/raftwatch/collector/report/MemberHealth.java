package io.raftwatch.collector.report;

/**
 * One member's health at the end of a report's window, and what it did during the window. A
 * {@code Double} is null when the member did not export the metric (or is down); NaN never
 * appears. Immutable.
 *
 * @param member the member's name ({@code member} label, else the config's name for the instance,
 *     else the instance)
 * @param instance host:port of its metrics endpoint ({@code instance} label)
 * @param up whether its last scrape in the window succeeded
 * @param leader {@code etcd_server_is_leader == 1}; null when unknown or the member is down
 * @param hasLeader {@code etcd_server_has_leader == 1}; null when unknown or the member is down
 * @param leaderChangesSeen {@code etcd_server_leader_changes_seen_total}, since the process started
 * @param leaderChangesInWindow how many times that counter changed in the window
 * @param proposalsCommitted {@code etcd_server_proposals_committed_total} (the Raft commit index)
 * @param proposalsApplied {@code etcd_server_proposals_applied_total} (the applied index)
 * @param proposalsPending {@code etcd_server_proposals_pending} at the end
 * @param proposalsPendingMax the most pending proposals seen in the window
 * @param proposalsFailedInWindow {@code increase(etcd_server_proposals_failed_total[window])}
 * @param walFsyncP99Seconds p99 of {@code etcd_disk_wal_fsync_duration_seconds} over the window
 * @param backendCommitP99Seconds p99 of {@code etcd_disk_backend_commit_duration_seconds}
 * @param dbSizeBytes {@code etcd_mvcc_db_total_size_in_bytes}
 * @param quotaBytes {@code etcd_server_quota_backend_bytes}
 * @param quotaUsedRatio db size / quota, 0..1 (more once the quota is passed)
 * @param openFds {@code process_open_fds}
 * @param maxFds {@code process_max_fds}
 * @param residentMemoryBytes {@code process_resident_memory_bytes}
 */
public record MemberHealth(
    String member,
    String instance,
    boolean up,
    Boolean leader,
    Boolean hasLeader,
    Double leaderChangesSeen,
    Double leaderChangesInWindow,
    Double proposalsCommitted,
    Double proposalsApplied,
    Double proposalsPending,
    Double proposalsPendingMax,
    Double proposalsFailedInWindow,
    Double walFsyncP99Seconds,
    Double backendCommitP99Seconds,
    Double dbSizeBytes,
    Double quotaBytes,
    Double quotaUsedRatio,
    Double openFds,
    Double maxFds,
    Double residentMemoryBytes) {}
