/**
 * Benchmarks of the rules engine: {@link io.raftwatch.bench.rules.ShippedRulesBenchmark} evaluates
 * every rule of {@code alert-rules/etcd.rules.yaml} over 100 clusters of 3 members.
 */
package io.raftwatch.bench.rules;
