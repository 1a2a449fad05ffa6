/** Benchmarks of the mvcc store: put and range throughput on the memory and LMDB backends. */
package io.raftwatch.bench.mvcc;
