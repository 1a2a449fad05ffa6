package io.raftwatch.raftkv.mvcc;

import java.util.List;

/**
 * The answer to a range read: the versions found (at most the limit, in key order), how many keys
 * the range holds at that revision regardless of the limit, and the store's current revision (the
 * response header revision, not the revision read at), as etcd's {@code RangeResult}.
 */
public record RangeResult(List<KeyValue> kvs, long count, long revision) {
  public RangeResult {
    kvs = List.copyOf(kvs);
  }
}
