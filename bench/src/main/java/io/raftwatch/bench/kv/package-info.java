/**
 * The key-value benchmark against etcd: {@link io.raftwatch.bench.kv.PutLoad}, the load generator
 * that {@code bin/bench-kv} runs against a 3-member etcd 3.4 cluster and a 3-member raftkv cluster
 * started with the same flags and certificates, to print both side by side.
 */
package io.raftwatch.bench.kv;
