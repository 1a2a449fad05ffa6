/**
 * Opt-in maintenance chores that act on what the rules find: defragmenting members one at a time
 * (followers first, the leader last, refused while a member is down or an election is under
 * way), while {@code etcdDatabaseHighFragmentationRatio} fires or on a cron, and compacting the
 * key-value history on a cron, keeping the latest N revisions or a time window. Every run goes
 * into the history's maintenance-run log.
 *
 * <p>{@link io.raftwatch.collector.maintenance.Defragmenter} and {@link
 * io.raftwatch.collector.maintenance.Compactor} decide and record; they talk to members through
 * {@link io.raftwatch.collector.maintenance.MemberMaintenance}, whose real implementation is
 * {@link io.raftwatch.collector.maintenance.GrpcMemberMaintenance} (etcd's v3 Maintenance and KV
 * services over mutual TLS). {@link io.raftwatch.collector.maintenance.MaintenanceJobs} wires
 * them to the collector: cron jobs on its scheduler, and an alert listener. See
 * docs/maintenance.md.
 */
package io.raftwatch.collector.maintenance;
