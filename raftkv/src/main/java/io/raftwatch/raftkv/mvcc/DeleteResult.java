package io.raftwatch.raftkv.mvcc;

import java.util.List;

/**
 * The answer to a delete-range: how many keys were deleted, their last versions (in key order; the
 * API layer returns them when prev_kv was asked), and the store revision after the delete.
 */
public record DeleteResult(long deleted, List<KeyValue> prevKvs, long revision) {
  public DeleteResult {
    prevKvs = List.copyOf(prevKvs);
  }
}
