package io.raftwatch.raftkv.raft;

import java.util.ArrayList;
import java.util.List;

/**
 * The log as the core sees it: the stable part in {@link Storage} followed by the {@link
 * Unstable} tail, plus the commit and apply cursors.
 */
final class RaftLog {
  final Storage storage;
  final Unstable unstable;
  // Invariant: applied <= committed <= lastIndex().
  long committed;
  long applied;
  private final RaftLogger logger;

  RaftLog(Storage storage, RaftLogger logger) {
    this.storage = storage;
    this.logger = logger;
    long first = storage.firstIndex();
    long last = storage.lastIndex();
    this.unstable = new Unstable(last + 1);
    this.committed = first - 1;
    this.applied = first - 1;
  }

  long firstIndex() {
    long i = unstable.maybeFirstIndex();
    return i != Unstable.UNKNOWN ? i : storage.firstIndex();
  }

  long lastIndex() {
    long i = unstable.maybeLastIndex();
    return i != Unstable.UNKNOWN ? i : storage.lastIndex();
  }

  long lastTerm() {
    return term(lastIndex());
  }

  /** Term of the entry at {@code i}, or 0 if it is compacted or beyond the end. */
  long term(long i) {
    long dummy = firstIndex() - 1;
    if (i < dummy || i > lastIndex()) {
      return 0;
    }
    long t = unstable.maybeTerm(i);
    if (t != Unstable.UNKNOWN) {
      return t;
    }
    try {
      return storage.term(i);
    } catch (CompactedException | UnavailableException e) {
      return 0;
    }
  }

  boolean matchTerm(long i, long term) {
    return term(i) == term && (term != 0 || i == 0);
  }

  /** §5.4.1: is (lastIndex, lastTerm) at least as up to date as our log? */
  boolean isUpToDate(long lastIndex, long lastTerm) {
    return lastTerm > lastTerm() || (lastTerm == lastTerm() && lastIndex >= lastIndex());
  }

  /**
   * The follower side of AppendEntries (§5.3): if our entry at {@code index} has {@code logTerm},
   * append {@code ents} (dropping any conflicting suffix) and advance commit. Returns the last
   * index the leader may now count as matching, or -1 when the consistency check fails.
   */
  long maybeAppend(long index, long logTerm, long commit, List<Entry> ents) {
    if (!matchTerm(index, logTerm)) {
      return -1;
    }
    long lastNew = index + ents.size();
    long ci = findConflict(ents);
    if (ci != 0) {
      if (ci <= committed) {
        throw new IllegalStateException(
            "entry " + ci + " conflicts with committed entry (committed " + committed + ")");
      }
      append(ents.subList((int) (ci - (index + 1)), ents.size()));
    }
    commitTo(Math.min(commit, lastNew));
    return lastNew;
  }

  long append(List<Entry> ents) {
    if (ents.isEmpty()) {
      return lastIndex();
    }
    long after = ents.get(0).index() - 1;
    if (after < committed) {
      throw new IllegalStateException(
          "appending after " + after + " would overwrite committed " + committed);
    }
    unstable.truncateAndAppend(ents);
    return lastIndex();
  }

  /** The first index where {@code ents} differs from our log, or 0 if all of it matches. */
  private long findConflict(List<Entry> ents) {
    for (Entry e : ents) {
      if (!matchTerm(e.index(), e.term())) {
        if (e.index() <= lastIndex()) {
          logger.info(
              "found conflict at index "
                  + e.index()
                  + " [existing term: "
                  + term(e.index())
                  + ", conflicting term: "
                  + e.term()
                  + "]");
        }
        return e.index();
      }
    }
    return 0;
  }

  /**
   * Fast log backtracking: the largest index ≤ {@code index} whose term is ≤ {@code term}, with
   * that term. Entries above it cannot match a log whose entry at {@code index} has {@code term}.
   */
  long[] findConflictByTerm(long index, long term) {
    for (; index > 0; index--) {
      long t;
      try {
        t = termOrThrow(index);
      } catch (CompactedException | UnavailableException e) {
        return new long[] {index, 0};
      }
      if (t <= term) {
        return new long[] {index, t};
      }
    }
    return new long[] {0, 0};
  }

  private long termOrThrow(long i) {
    if (i < firstIndex() - 1) {
      throw new CompactedException(i, firstIndex());
    }
    if (i > lastIndex()) {
      throw new UnavailableException(i, lastIndex());
    }
    return term(i);
  }

  void commitTo(long toCommit) {
    if (committed < toCommit) {
      if (lastIndex() < toCommit) {
        throw new IllegalStateException(
            "commit " + toCommit + " is out of range [last index " + lastIndex() + "]");
      }
      committed = toCommit;
    }
  }

  /** §5.4.2: only an entry of the current term is committed by counting replicas. */
  boolean maybeCommit(long maxIndex, long term) {
    if (maxIndex > committed && term(maxIndex) == term) {
      commitTo(maxIndex);
      return true;
    }
    return false;
  }

  void appliedTo(long i) {
    if (i == 0) {
      return;
    }
    if (committed < i || i < applied) {
      throw new IllegalStateException(
          "applied " + i + " out of range [prev applied " + applied + ", committed " + committed + "]");
    }
    applied = i;
  }

  boolean hasNextCommittedEntries() {
    return committed > Math.max(applied, firstIndex() - 1);
  }

  /** Committed entries not yet applied, at most {@code maxSize} bytes beyond the first. */
  List<Entry> nextCommittedEntries(long maxSize) {
    long lo = Math.max(applied + 1, firstIndex());
    if (committed + 1 > lo) {
      return slice(lo, committed + 1, maxSize);
    }
    return List.of();
  }

  List<Entry> unstableEntries() {
    return List.copyOf(unstable.entries());
  }

  Snapshot snapshot() {
    Snapshot s = unstable.snapshot();
    return s != null ? s : storage.snapshot();
  }

  /** Entries from {@code i} to the end, at most {@code maxSize} bytes beyond the first. */
  List<Entry> entries(long i, long maxSize) {
    if (i > lastIndex()) {
      return List.of();
    }
    return slice(i, lastIndex() + 1, maxSize);
  }

  List<Entry> allEntries() {
    return entries(firstIndex(), Long.MAX_VALUE);
  }

  /**
   * Entries in [lo, hi).
   *
   * @throws CompactedException if lo is covered by a snapshot
   */
  List<Entry> slice(long lo, long hi, long maxSize) {
    if (lo < firstIndex()) {
      throw new CompactedException(lo, firstIndex());
    }
    if (hi > lastIndex() + 1) {
      throw new IllegalStateException("slice [" + lo + "," + hi + ") beyond last " + lastIndex());
    }
    if (lo == hi) {
      return List.of();
    }
    List<Entry> out = new ArrayList<>();
    long uOffset = unstable.offset();
    if (lo < uOffset) {
      out.addAll(storage.entries(lo, Math.min(hi, uOffset), maxSize));
      if (out.size() < Math.min(hi, uOffset) - lo) {
        return out; // size limit reached within the stable part
      }
    }
    if (hi > uOffset) {
      out.addAll(unstable.slice(Math.max(lo, uOffset), hi));
    }
    return MemoryStorage.limitSize(out, maxSize);
  }

  void restore(Snapshot s) {
    logger.info(
        "log starts to restore snapshot [index: "
            + s.metadata().index()
            + ", term: "
            + s.metadata().term()
            + "]");
    committed = s.metadata().index();
    unstable.restore(s);
  }

  void stableTo(long index, long term) {
    unstable.stableTo(index, term);
  }

  void stableSnapTo(long index) {
    unstable.stableSnapTo(index);
  }
}
