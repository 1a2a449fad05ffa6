package io.raftwatch.raftkv.mvcc;

import java.nio.charset.StandardCharsets;

/**
 * The named key spaces of a {@link Backend}, as etcd's buckets. The ordinal is persisted in backend
 * snapshots: append only. {@link KvStore#hash()} visits buckets in name order, as bolt iterates
 * them.
 */
public enum Bucket {
  /** Revision bytes to encoded {@link KeyValue}: the whole history not yet compacted. */
  KEY("key"),
  /** Leases by big-endian id. */
  LEASE("lease"),
  /** consistent_index, scheduledCompactRev and finishedCompactRev. */
  META("meta"),
  /** Member id (big-endian) to the member, as the etcd API encodes it (membership package). */
  MEMBERS("members"),
  /** Ids removed from the cluster for good. */
  MEMBERS_REMOVED("members_removed"),
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
