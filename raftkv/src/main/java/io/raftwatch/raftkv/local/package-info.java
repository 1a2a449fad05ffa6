/**
 * A whole raftkv cluster in one JVM: real raft loops, real WALs and snapshots on disk, members
 * connected by an in-process transport instead of gRPC. It is {@code bin/raftkv local}, the
 * quickest way to watch the Raft core and the WAL work together, and a harness for tests that
 * need a cluster without processes.
 */
package io.raftwatch.raftkv.local;
