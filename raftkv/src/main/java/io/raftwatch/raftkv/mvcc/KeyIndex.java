package io.raftwatch.raftkv.mvcc;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The revisions of one key, grouped into generations (etcd {@code keyIndex}). A generation runs
 * from the put that creates the key to the tombstone that deletes it; the last generation is open
 * (it may be empty, right after a tombstone). Owned by {@link TreeIndex}; single-threaded.
 *
 * <pre>
 * put@2 put@4 del@6 put@8
 * generations: {created 2, ver 3, revs [2 4 6]} {created 8, ver 1, revs [8]}
 * </pre>
 */
final class KeyIndex {
  /** The version of a key at a revision, as {@link #get} finds it. */
  record Found(Revision modified, Revision created, long version) {}

  private static final class Generation {
    long version;
    Revision created;
    // Invariant: ascending. In a closed generation the last entry is the tombstone.
    final List<Revision> revs = new ArrayList<>();

    boolean isEmpty() {
      return revs.isEmpty();
    }

    /** Index of the last revision with main <= atRev, or -1. */
    int lastAtOrBefore(long atRev) {
      for (int i = revs.size() - 1; i >= 0; i--) {
        if (revs.get(i).main() <= atRev) {
          return i;
        }
      }
      return -1;
    }
  }

  private final byte[] key;
  private Revision modified;
  private final List<Generation> generations = new ArrayList<>();

  KeyIndex(byte[] key) {
    this.key = key;
  }

  byte[] key() {
    return key;
  }

  Revision modified() {
    return modified;
  }

  void put(Revision rev) {
    if (modified != null && rev.compareTo(modified) <= 0) {
      throw new IllegalStateException("mvcc: put revision " + rev + " not after " + modified);
    }
    if (generations.isEmpty()) {
      generations.add(new Generation());
    }
    Generation g = generations.get(generations.size() - 1);
    if (g.isEmpty()) {
      g.created = rev;
    }
    g.revs.add(rev);
    g.version++;
    modified = rev;
  }

  /** Re-creates the index of a key first met during restore, from a surviving version. */
  void restore(Revision created, Revision modifiedRev, long version) {
    Generation g = new Generation();
    g.created = created;
    g.version = version;
    g.revs.add(modifiedRev);
    generations.add(g);
    modified = modifiedRev;
  }

  /** Deletes the key at rev: records the tombstone and opens an empty generation. */
  void tombstone(Revision rev) {
    if (isLive()) {
      put(rev);
      generations.add(new Generation());
    } else {
      throw new IllegalStateException("mvcc: tombstone on a deleted key at " + rev);
    }
  }

  /** True while the last generation holds a version, i.e. the key exists at the newest revision. */
  boolean isLive() {
    return !generations.isEmpty() && !generations.get(generations.size() - 1).isEmpty();
  }

  boolean isEmpty() {
    return generations.size() == 1 && generations.get(0).isEmpty();
  }

  /** The version visible at atRev, if the key exists then. */
  Optional<Found> get(long atRev) {
    Generation g = findGeneration(atRev);
    if (g == null) {
      return Optional.empty();
    }
    int n = g.lastAtOrBefore(atRev);
    if (n < 0) {
      return Optional.empty();
    }
    return Optional.of(new Found(g.revs.get(n), g.created, g.version - (g.revs.size() - n - 1)));
  }

  /** The generation that holds the key at rev, or null if the key was deleted or unborn then. */
  private Generation findGeneration(long rev) {
    int last = generations.size() - 1;
    for (int i = last; i >= 0; i--) {
      Generation g = generations.get(i);
      if (g.isEmpty()) {
        continue;
      }
      if (i != last && g.revs.get(g.revs.size() - 1).main() <= rev) {
        // A closed generation whose tombstone is at or before rev: deleted at rev.
        return null;
      }
      if (g.revs.get(0).main() <= rev) {
        return g;
      }
    }
    return null;
  }

  /**
   * Drops revisions that compaction at atRev makes unreachable, and adds to {@code available} the
   * revisions it keeps at or below atRev (the one version each key has at atRev), which the backend
   * must not delete. Returns true when nothing of the key is left.
   */
  boolean compact(long atRev, Set<Revision> available) {
    int genIdx = keep(atRev, available);
    Generation g = generations.get(genIdx);
    if (!g.isEmpty()) {
      int revIndex = g.lastAtOrBefore(atRev);
      if (revIndex > 0) {
        g.revs.subList(0, revIndex).clear();
      }
      if (g.revs.size() == 1 && genIdx != generations.size() - 1) {
        // Only the tombstone remains: the whole generation is gone at atRev.
        genIdx++;
      }
    }
    generations.subList(0, genIdx).clear();
    return isEmpty();
  }

  /**
   * Adds the revisions a compaction at atRev would keep at or below atRev, without changing the
   * index, and returns the index of the first generation kept. HashKV uses it.
   */
  int keep(long atRev, Set<Revision> available) {
    int genIdx = 0;
    while (genIdx < generations.size() - 1) {
      Generation g = generations.get(genIdx);
      if (g.revs.get(g.revs.size() - 1).main() > atRev) {
        break;
      }
      genIdx++;
    }
    Generation g = generations.get(genIdx);
    if (g.isEmpty()) {
      return genIdx;
    }
    int revIndex = g.lastAtOrBefore(atRev);
    if (revIndex >= 0) {
      boolean onlyTombstoneLeft = revIndex == g.revs.size() - 1 && genIdx != generations.size() - 1;
      if (!onlyTombstoneLeft) {
        available.add(g.revs.get(revIndex));
      }
    }
    return genIdx;
  }
}
