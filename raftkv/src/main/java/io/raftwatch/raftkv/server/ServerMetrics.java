package io.raftwatch.raftkv.server;

import io.prometheus.client.CollectorRegistry;
import io.prometheus.client.Counter;
import io.prometheus.client.Gauge;

/**
 * etcd's {@code etcd_server_*} metrics, with etcd 3.4's names, types and help texts, updated by the
 * raft loop from the node's soft state after each Ready:
 *
 * <pre>
 * etcd_server_has_leader 1
 * etcd_server_is_leader 0
 * etcd_server_leader_changes_seen_total 1
 * etcd_server_proposals_committed_total 3019   (a gauge holding the commit index, as in etcd)
 * etcd_server_proposals_applied_total 3019     (a gauge holding the applied index)
 * etcd_server_proposals_pending 0
 * etcd_server_proposals_failed_total 0
 * etcd_server_quota_backend_bytes 2.147483648E9
 * etcd_server_id{server_id="501c9a3f400d445a"} 1
 * </pre>
 */
public final class ServerMetrics {
  final Gauge hasLeader;
  final Gauge isLeader;
  final Counter leaderChanges;
  final Gauge proposalsCommitted;
  final Gauge proposalsApplied;
  final Gauge proposalsPending;
  final Counter proposalsFailed;
  /** Applies over {@link SlowApplies#WARN_NANOS}, counted by {@link SlowApplies}. */
  final Counter slowApplies;
  /** Heartbeats a leader sent late, counted by {@link HeartbeatRhythm}. */
  final Counter heartbeatSendFailures;
  /** Read index requests that timed out, counted by {@link RaftLoop#readIndex}. */
  final Counter slowReadIndexes;
  /** The backend quota in bytes, set once by whoever builds the member. */
  public final Gauge quotaBackendBytes;

  public ServerMetrics(CollectorRegistry registry, long memberId) {
    hasLeader = Gauge.build("etcd_server_has_leader",
        "Whether or not a leader exists. 1 is existence, 0 is not.").register(registry);
    isLeader = Gauge.build("etcd_server_is_leader",
        "Whether or not this member is a leader. 1 if is, 0 otherwise.").register(registry);
    leaderChanges = Counter.build("etcd_server_leader_changes_seen_total",
        "The number of leader changes seen.").register(registry);
    proposalsCommitted = Gauge.build("etcd_server_proposals_committed_total",
        "The total number of consensus proposals committed.").register(registry);
    proposalsApplied = Gauge.build("etcd_server_proposals_applied_total",
        "The total number of consensus proposals applied.").register(registry);
    proposalsPending = Gauge.build("etcd_server_proposals_pending",
        "The current number of pending proposals to commit.").register(registry);
    proposalsFailed = Counter.build("etcd_server_proposals_failed_total",
        "The total number of failed proposals seen.").register(registry);
    slowApplies = Counter.build("etcd_server_slow_apply_total",
        "The total number of slow apply requests (likely overloaded from slow disk).")
        .register(registry);
    heartbeatSendFailures = Counter.build("etcd_server_heartbeat_send_failures_total",
        "The total number of leader heartbeat send failures (likely overloaded from slow disk).")
        .register(registry);
    slowReadIndexes = Counter.build("etcd_server_slow_read_indexes_total",
        "The total number of pending read indexes not in sync with leader's or timed out read "
            + "index requests.").register(registry);
    quotaBackendBytes = Gauge.build("etcd_server_quota_backend_bytes",
        "Current backend storage quota size in bytes.").register(registry);
    Gauge.build("etcd_server_id",
            "Server or member ID in hexadecimal format. 1 for 'server_id' label with current ID.")
        .labelNames("server_id").register(registry)
        .labels(Long.toHexString(memberId)).set(1);
  }
}
