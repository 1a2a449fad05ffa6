/**
 * The member: the raft loop thread that drives the pure Raft core against the WAL, the transport
 * and the state machine, plus recovery at start and the {@code etcd_server_*} metrics. Never
 * parses flags; never speaks gRPC to clients.
 */
package io.raftwatch.raftkv.server;
