package io.raftwatch.raftkv.mvcc;

/**
 * One watch: a key or range, the next revision it must see, and its options. Owned by {@link
 * WatchableStore} (apply thread); the id is unique within its {@link WatchStream}.
 */
final class Watcher {
  final WatchStream stream;
  final long id;
  final byte[] key;
  // Null or empty for a single key; etcd's range-end conventions otherwise.
  final byte[] end;
  final boolean prevKv;
  final boolean filterPut;
  final boolean filterDelete;
  // Invariant: every event with revision < minRevision was delivered or filtered.
  long minRevision;

  Watcher(
      WatchStream stream,
      long id,
      byte[] key,
      byte[] end,
      boolean prevKv,
      boolean filterPut,
      boolean filterDelete,
      long minRevision) {
    this.stream = stream;
    this.id = id;
    this.key = key;
    this.end = end;
    this.prevKv = prevKv;
    this.filterPut = filterPut;
    this.filterDelete = filterDelete;
    this.minRevision = minRevision;
  }

  boolean isRange() {
    return !TreeIndex.isSingleKey(end);
  }

  boolean matches(byte[] k) {
    return TreeIndex.inRange(k, key, end);
  }

  /** Whether the watcher wants this event, by its filters. */
  boolean accepts(Event e) {
    return switch (e.type()) {
      case PUT -> !filterPut;
      case DELETE -> !filterDelete;
    };
  }
}
