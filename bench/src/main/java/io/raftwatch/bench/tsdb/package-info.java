/**
 * Benchmarks of the collector's exposition parser and series store on replayed real etcd scrapes:
 * {@link io.raftwatch.bench.tsdb.ParseBenchmark}, {@link
 * io.raftwatch.bench.tsdb.StoreAppendBenchmark}, and {@link io.raftwatch.bench.tsdb.ParseTimer} for
 * timing a parse of saved bodies by hand.
 */
package io.raftwatch.bench.tsdb;
