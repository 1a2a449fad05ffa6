/**
 * The cluster's membership as etcd keeps it ({@code etcdserver/api/membership}): each member's id,
 * name, peer and client URLs and whether it is a learner, and the ids removed for good. {@link
 * io.raftwatch.raftkv.membership.MemberSet} changes only when a committed configuration change or a
 * member's published attributes are applied, on the raft loop thread, and persists itself in the
 * backend's "members" and "members_removed" buckets, so a restart or a Raft snapshot carries it.
 * {@link io.raftwatch.raftkv.membership.MembershipChecks} holds etcd's checks of a requested change
 * against the membership and the Raft progress, made before the change is proposed.
 */
package io.raftwatch.raftkv.membership;
