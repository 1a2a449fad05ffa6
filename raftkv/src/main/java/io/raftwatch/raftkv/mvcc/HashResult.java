package io.raftwatch.raftkv.mvcc;

/**
 * A hash of the store (Maintenance Hash/HashKV): the CRC32C value, the current revision when it was
 * taken, and the compacted revision (-1 before the first compaction, as etcd reports).
 */
public record HashResult(int hash, long revision, long compactRevision) {}
