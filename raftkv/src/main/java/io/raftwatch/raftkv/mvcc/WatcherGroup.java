package io.raftwatch.raftkv.mvcc;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * A set of watchers indexed for event matching (etcd {@code watcherGroup}): single-key watchers by
 * key, range watchers in a list scanned per event (etcd uses an interval tree; ranges are few in
 * practice). The watchable store keeps two: synced and unsynced. Apply thread only.
 */
final class WatcherGroup {
  private final Map<byte[], Set<Watcher>> byKey = new TreeMap<>(Arrays::compareUnsigned);
  private final Set<Watcher> ranges = new LinkedHashSet<>();
  private final Set<Watcher> all = new LinkedHashSet<>();

  void add(Watcher w) {
    all.add(w);
    if (w.isRange()) {
      ranges.add(w);
    } else {
      byKey.computeIfAbsent(w.key, k -> new LinkedHashSet<>()).add(w);
    }
  }

  boolean remove(Watcher w) {
    if (!all.remove(w)) {
      return false;
    }
    if (w.isRange()) {
      ranges.remove(w);
    } else {
      Set<Watcher> s = byKey.get(w.key);
      s.remove(w);
      if (s.isEmpty()) {
        byKey.remove(w.key);
      }
    }
    return true;
  }

  boolean contains(Watcher w) {
    return all.contains(w);
  }

  int size() {
    return all.size();
  }

  boolean isEmpty() {
    return all.isEmpty();
  }

  /** A snapshot of the members, so callers may move watchers while iterating. */
  List<Watcher> watchers() {
    return new ArrayList<>(all);
  }

  /** The watchers whose key or range holds k. */
  Set<Watcher> watchersOf(byte[] k) {
    Set<Watcher> out = new HashSet<>(byKey.getOrDefault(k, Set.of()));
    for (Watcher w : ranges) {
      if (w.matches(k)) {
        out.add(w);
      }
    }
    return out;
  }

  /** The smallest next-revision of the members, Long.MAX_VALUE when empty. */
  long minRevision() {
    long min = Long.MAX_VALUE;
    for (Watcher w : all) {
      min = Math.min(min, w.minRevision);
    }
    return min;
  }
}
