package io.raftwatch.raftkv.mvcc;

import java.util.List;

/**
 * What TimeToLive and Leases report about one lease: its id, the TTL it was granted (seconds), the
 * remaining TTL in whole seconds (-1 once expired, as etcd reports) and the attached keys in key
 * order (only when asked for, else empty).
 */
public record Lease(long id, long grantedTtl, long remainingTtl, List<byte[]> keys) {
  public Lease {
    keys = List.copyOf(keys);
  }
}
