package io.raftwatch.raftkv.mvcc;

import java.util.Objects;

/**
 * A change seen by a watcher, as etcd's {@code mvccpb.Event}. For a DELETE, {@code kv} holds the
 * key and the deleting revision only. {@code prevKv} is the version before the change, present only
 * when the watcher asked for it and that version is not compacted; otherwise null.
 */
public record Event(Type type, KeyValue kv, KeyValue prevKv) {
  /** The two kinds of change. */
  public enum Type {
    PUT,
    DELETE
  }

  public Event {
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(kv, "kv");
  }

  Event withPrevKv(KeyValue prev) {
    return new Event(type, kv, prev);
  }
}
