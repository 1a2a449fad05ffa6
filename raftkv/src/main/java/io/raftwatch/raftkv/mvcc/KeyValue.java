package io.raftwatch.raftkv.mvcc;

import java.util.Arrays;
import java.util.Objects;

/**
 * One version of a key as etcd's {@code mvccpb.KeyValue}: the key, the revision that created its
 * current generation, the revision of this version, the number of versions in the generation, the
 * value and the attached lease (0 for none). Immutable by convention: callers must not mutate the
 * arrays. Equality compares the arrays by content. {@link #toString()} shows lengths only, because
 * keys and values may be secrets.
 */
public record KeyValue(
    byte[] key, long createRevision, long modRevision, long version, byte[] value, long lease) {

  public KeyValue {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(value, "value");
  }

  /** What a deletion event carries: the key and the deleting revision, every other field zero. */
  static KeyValue tombstone(byte[] key, long modRevision) {
    return new KeyValue(key, 0, modRevision, 0, new byte[0], 0);
  }

  /** This version without its value, as a keys-only range returns it. */
  KeyValue withoutValue() {
    return new KeyValue(key, createRevision, modRevision, version, new byte[0], lease);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof KeyValue kv
        && createRevision == kv.createRevision
        && modRevision == kv.modRevision
        && version == kv.version
        && lease == kv.lease
        && Arrays.equals(key, kv.key)
        && Arrays.equals(value, kv.value);
  }

  @Override
  public int hashCode() {
    return Objects.hash(
        Arrays.hashCode(key), createRevision, modRevision, version, Arrays.hashCode(value), lease);
  }

  @Override
  public String toString() {
    return "KeyValue[key="
        + key.length
        + "B, create="
        + createRevision
        + ", mod="
        + modRevision
        + ", version="
        + version
        + ", value="
        + value.length
        + "B, lease="
        + lease
        + "]";
  }
}
