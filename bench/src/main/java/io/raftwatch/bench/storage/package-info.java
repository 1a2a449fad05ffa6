/**
 * Benchmarks of raftkv's storage: WAL appends with group commit against the raw rate of {@code
 * FileChannel.force()} on the same disk. Run with {@code bin/bench 'io.raftwatch.bench.storage.*'};
 * {@code -jvmArgsAppend -Draftwatch.bench.dir=DIR} puts the files on another disk.
 */
package io.raftwatch.bench.storage;
