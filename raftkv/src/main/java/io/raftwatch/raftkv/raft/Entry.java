package io.raftwatch.raftkv.raft;

import java.util.Arrays;
import java.util.Objects;

/**
 * One slot of the replicated log. Immutable; {@code data} is never mutated after construction and
 * is shared, not copied, so callers must not modify the array they pass in.
 *
 * @param term the leader's term when the entry was created (§5.3)
 * @param index position in the log, starting at 1
 * @param type normal command or configuration change
 * @param data the command; empty for the no-op a new leader appends (§8)
 */
public record Entry(long term, long index, EntryType type, byte[] data) {

  public Entry {
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(data, "data");
  }

  public static Entry normal(long term, long index, byte[] data) {
    return new Entry(term, index, EntryType.NORMAL, data);
  }

  /** Approximate size in bytes, used to cap message and batch sizes. */
  public long size() {
    return data.length + 24L;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Entry e
        && term == e.term
        && index == e.index
        && type == e.type
        && Arrays.equals(data, e.data);
  }

  @Override
  public int hashCode() {
    return Objects.hash(term, index, type, Arrays.hashCode(data));
  }

  @Override
  public String toString() {
    return Describe.entry(this);
  }
}
