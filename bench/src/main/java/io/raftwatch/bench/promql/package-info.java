/**
 * Benchmarks of the PromQL engine: {@link io.raftwatch.bench.promql.RuleRoundBenchmark} evaluates
 * the etcd mixin's alert expressions over 100 synthetic 3-member clusters.
 */
package io.raftwatch.bench.promql;
