/**
 * Peer transport: carries Raft messages and snapshots between members without interpreting them.
 * The gRPC peer service over mutual TLS lives here; {@link io.raftwatch.raftkv.transport.Transport}
 * is what the raft loop sees.
 */
package io.raftwatch.raftkv.transport;
