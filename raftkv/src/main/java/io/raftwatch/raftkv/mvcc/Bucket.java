package io.raftwatch.raftkv.mvcc;

import java.nio.charset.StandardCharsets;

/**
 * The named key spaces of a {@link Backend}, as etcd's buckets. Ordinals are part of the snapshot
 * format ({@link BackendSnapshot}): new buckets go last.
 */
public enum Bucket {
  /** Revision bytes to encoded {@link KeyValue}: the whole history not yet compacted. */
  KEY("key"),
  /** Leases by big-endian id. */
  LEASE("lease"),
  /** consistent_index, scheduledCompactRev and finishedCompactRev. */
  META("meta"),
  /** Raised alarms (member id, alarm type), as etcd's "alarm" bucket. */
  ALARM("alarm");

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
