/** JMH benchmarks for raftkv and the collector. Run them with {@code bin/bench}. */
package io.raftwatch.bench;
