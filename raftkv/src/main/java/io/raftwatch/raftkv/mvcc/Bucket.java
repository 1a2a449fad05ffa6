package io.raftwatch.raftkv.mvcc;

import java.nio.charset.StandardCharsets;

/**
 * The named key spaces of a {@link Backend}, as etcd's buckets. Names sort as bolt iterates
 * buckets, which {@link KvStore#hash()} relies on.
 */
public enum Bucket {
  /** Revision bytes to encoded {@link KeyValue}: the whole history not yet compacted. */
  KEY("key"),
  /** Leases by big-endian id. */
  LEASE("lease"),
  /** consistent_index, scheduledCompactRev and finishedCompactRev. */
  META("meta");

  private final String bucketName;

  Bucket(String bucketName) {
    this.bucketName = bucketName;
  }

  public String bucketName() {
    return bucketName;
  }

  byte[] nameBytes() {
    return bucketName.getBytes(StandardCharsets.UTF_8);
  }
}
