package io.raftwatch.raftkv.raft;

import java.util.ArrayList;
import java.util.List;

/**
 * Entries and a snapshot that the core has accepted but the driver has not yet persisted. They
 * leave through {@link Ready} and are dropped here once the driver reports them stable.
 */
final class Unstable {
  // Invariant: entries.get(i).index() == offset + i.
  private Snapshot snapshot; // null when none is pending
  private final List<Entry> entries = new ArrayList<>();
  private long offset;

  Unstable(long offset) {
    this.offset = offset;
  }

  /**
   * Returned by the lookups below when this tail does not know the answer. Indexes and terms are
   * never negative, and a sentinel keeps the hot path (every append and every Ready) free of the
   * boxing an Optional would cost.
   */
  static final long UNKNOWN = -1;

  /** The index after the pending snapshot, or {@link #UNKNOWN} without one. */
  long maybeFirstIndex() {
    return snapshot == null ? UNKNOWN : snapshot.metadata().index() + 1;
  }

  /** The last index of the tail or the pending snapshot, or {@link #UNKNOWN} without either. */
  long maybeLastIndex() {
    if (!entries.isEmpty()) {
      return offset + entries.size() - 1;
    }
    return snapshot == null ? UNKNOWN : snapshot.metadata().index();
  }

  /** The term at {@code i} if this tail knows it, else {@link #UNKNOWN}. */
  long maybeTerm(long i) {
    if (i < offset) {
      if (snapshot != null && snapshot.metadata().index() == i) {
        return snapshot.metadata().term();
      }
      return UNKNOWN;
    }
    long last = maybeLastIndex();
    if (last == UNKNOWN || i > last) {
      return UNKNOWN;
    }
    return entries.get((int) (i - offset)).term();
  }

  /** Entries up to ({@code index}, {@code term}) are now persisted. */
  void stableTo(long index, long term) {
    long t = maybeTerm(index);
    if (t == UNKNOWN || t != term || index < offset) {
      return; // a newer append replaced them; they are not what was persisted
    }
    entries.subList(0, (int) (index + 1 - offset)).clear();
    offset = index + 1;
  }

  void stableSnapTo(long index) {
    if (snapshot != null && snapshot.metadata().index() == index) {
      snapshot = null;
    }
  }

  void restore(Snapshot s) {
    offset = s.metadata().index() + 1;
    entries.clear();
    snapshot = s;
  }

  void truncateAndAppend(List<Entry> ents) {
    long after = ents.get(0).index();
    if (after == offset + entries.size()) {
      entries.addAll(ents);
    } else if (after <= offset) {
      // Replace everything: the new entries start at or before our first one.
      offset = after;
      entries.clear();
      entries.addAll(ents);
    } else {
      entries.subList((int) (after - offset), entries.size()).clear();
      entries.addAll(ents);
    }
  }

  List<Entry> slice(long lo, long hi) {
    return entries.subList((int) (lo - offset), (int) (hi - offset));
  }

  List<Entry> entries() {
    return entries;
  }

  long offset() {
    return offset;
  }

  Snapshot snapshot() {
    return snapshot;
  }
}
