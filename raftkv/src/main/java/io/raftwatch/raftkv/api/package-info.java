/**
 * The etcd v3 client API of a raftkv member: gRPC services on jetcd-grpc's generated stubs (KV,
 * Watch, Lease, Maintenance Status, Cluster MemberList) served by grpc-netty-shaded. Writes are
 * proposed through {@link io.raftwatch.raftkv.server.KvProposer} and answered with what the
 * member's {@link io.raftwatch.raftkv.server.KvApplier} made when it applied them; reads run on the
 * raft loop thread ({@link io.raftwatch.raftkv.server.RaftLoop#onLoop}), after a read index unless
 * the request is serializable. Errors carry etcd's gRPC codes and messages ({@link
 * io.raftwatch.raftkv.api.EtcdErrors}). A watch stream's watchers live on the loop thread; a sender
 * thread per stream forwards their events.
 */
package io.raftwatch.raftkv.api;
