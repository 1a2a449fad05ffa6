/** raftkv: a Raft key-value cluster that speaks the etcd v3 API. */
package io.raftwatch.raftkv;
