package io.raftwatch.raftkv.mvcc;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * The in-memory index from key to {@link KeyIndex}, ordered by unsigned byte comparison (etcd
 * {@code treeIndex}, a B-tree there, a red-black tree here). Rebuilt from the backend on restart.
 * Owned by {@link KvStore}; single-threaded.
 *
 * <p>Range ends follow etcd: a null or empty end selects the single key; {@code "\0"} selects every
 * key {@code >= key}; any other end is exclusive.
 */
final class TreeIndex {
  /** A key and the revision holding its version at the revision read. */
  record KeyRevision(byte[] key, KeyIndex.Found found) {}

  private final NavigableMap<byte[], KeyIndex> index = new TreeMap<>(Arrays::compareUnsigned);

  static boolean isSingleKey(byte[] end) {
    return end == null || end.length == 0;
  }

  static boolean isUnbounded(byte[] end) {
    return end != null && end.length == 1 && end[0] == 0;
  }

  /** Whether key lies in the range [start, end) under the conventions above. */
  static boolean inRange(byte[] key, byte[] start, byte[] end) {
    if (isSingleKey(end)) {
      return Arrays.equals(key, start);
    }
    return Arrays.compareUnsigned(key, start) >= 0
        && (isUnbounded(end) || Arrays.compareUnsigned(key, end) < 0);
  }

  private Iterable<KeyIndex> select(byte[] key, byte[] end) {
    if (isSingleKey(end)) {
      KeyIndex ki = index.get(key);
      return ki == null ? List.of() : List.of(ki);
    }
    if (isUnbounded(end)) {
      return index.tailMap(key, true).values();
    }
    if (Arrays.compareUnsigned(key, end) >= 0) {
      return List.of();
    }
    return index.subMap(key, true, end, false).values();
  }

  Optional<KeyIndex.Found> get(byte[] key, long atRev) {
    KeyIndex ki = index.get(key);
    return ki == null ? Optional.empty() : ki.get(atRev);
  }

  /**
   * The keys alive at atRev in the range, in key order, at most limit of them (0: all), and how
   * many there are in all.
   */
  List<KeyRevision> revisions(byte[] key, byte[] end, long atRev, long limit, long[] total) {
    List<KeyRevision> out = new ArrayList<>();
    long count = 0;
    for (KeyIndex ki : select(key, end)) {
      Optional<KeyIndex.Found> f = ki.get(atRev);
      if (f.isPresent()) {
        if (limit <= 0 || count < limit) {
          out.add(new KeyRevision(ki.key(), f.get()));
        }
        count++;
      }
    }
    total[0] = count;
    return out;
  }

  long countRevisions(byte[] key, byte[] end, long atRev) {
    long count = 0;
    for (KeyIndex ki : select(key, end)) {
      if (ki.get(atRev).isPresent()) {
        count++;
      }
    }
    return count;
  }

  /** The keys in the range that exist now (at their newest revision), in key order. */
  List<byte[]> liveKeys(byte[] key, byte[] end) {
    List<byte[]> out = new ArrayList<>();
    for (KeyIndex ki : select(key, end)) {
      if (ki.isLive()) {
        out.add(ki.key());
      }
    }
    return out;
  }

  void put(byte[] key, Revision rev) {
    index.computeIfAbsent(key, KeyIndex::new).put(rev);
  }

  void tombstone(byte[] key, Revision rev) {
    KeyIndex ki = index.get(key);
    if (ki == null) {
      throw new IllegalStateException("mvcc: tombstone on an unknown key at " + rev);
    }
    ki.tombstone(rev);
  }

  /** Restores one surviving version read from the backend, in revision order. */
  void restore(KeyValue kv, Revision rev, boolean tombstone) {
    KeyIndex ki = index.get(kv.key());
    if (tombstone) {
      // NB: a tombstone whose puts were all compacted away leaves nothing to restore.
      if (ki != null && ki.isLive()) {
        ki.tombstone(rev);
      }
      return;
    }
    if (ki == null) {
      ki = new KeyIndex(kv.key());
      index.put(kv.key(), ki);
      ki.restore(new Revision(kv.createRevision(), 0), rev, kv.version());
    } else {
      ki.put(rev);
    }
  }

  /** Compacts every key at atRev; returns the revisions at or below atRev still needed. */
  Set<Revision> compact(long atRev) {
    Set<Revision> available = new HashSet<>();
    Iterator<Map.Entry<byte[], KeyIndex>> it = index.entrySet().iterator();
    while (it.hasNext()) {
      if (it.next().getValue().compact(atRev, available)) {
        it.remove();
      }
    }
    return available;
  }

  /** The revisions at or below atRev that a compaction at atRev would keep. */
  Set<Revision> keep(long atRev) {
    Set<Revision> available = new HashSet<>();
    for (KeyIndex ki : index.values()) {
      if (!ki.isEmpty()) {
        ki.keep(atRev, available);
      }
    }
    return available;
  }

  /** Keys alive now; the etcd_debugging_mvcc_keys_total gauge. */
  long liveKeyCount() {
    long n = 0;
    for (KeyIndex ki : index.values()) {
      if (ki.isLive()) {
        n++;
      }
    }
    return n;
  }
}
