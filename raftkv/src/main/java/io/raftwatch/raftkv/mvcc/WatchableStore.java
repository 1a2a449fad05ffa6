package io.raftwatch.raftkv.mvcc;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Watches over a {@link KvStore} (etcd {@code watchableStore}). Watchers are either synced (they
 * have seen every revision up to the current one and get each new write as it ends) or unsynced
 * (they start in the past, or their stream's queue was full): {@link #syncWatchers()} replays their
 * history from the backend and moves them to synced once a whole catch-up fits. A watcher whose
 * next revision was compacted gets a canceled response with the compacted revision.
 *
 * <p>No threads: the server's apply thread drives everything, calling {@link #syncWatchers()} from
 * its timer (etcd: every 100 ms) and after creating watchers. Never blocks on a consumer.
 */
public final class WatchableStore {
  private final KvStore kv;
  private final MvccMetrics metrics;
  private final WatcherGroup synced = new WatcherGroup();
  private final WatcherGroup unsynced = new WatcherGroup();
  private int streams;

  public WatchableStore(KvStore kv, MvccMetrics metrics) {
    this.kv = kv;
    this.metrics = metrics;
    kv.addObserver(this::notify);
  }

  /** Opens a watch stream whose queue holds capacity responses. */
  public WatchStream newStream(int capacity) {
    streams++;
    updateGauges();
    return new WatchStream(this, capacity);
  }

  void streamClosed() {
    streams--;
    updateGauges();
  }

  void add(Watcher w, long startRevision) {
    long current = kv.currentRevision();
    if (startRevision == 0 || startRevision > current) {
      w.minRevision = Math.max(current + 1, startRevision);
      synced.add(w);
    } else {
      w.minRevision = startRevision;
      unsynced.add(w);
    }
    updateGauges();
  }

  boolean remove(Watcher w) {
    boolean removed = synced.remove(w) || unsynced.remove(w);
    updateGauges();
    return removed;
  }

  boolean progress(Watcher w) {
    return synced.contains(w)
        && w.stream.offer(new WatchResponse(w.id, kv.currentRevision(), List.of(), 0, false));
  }

  boolean progressAll(WatchStream stream) {
    for (Watcher w : stream.watchers.values()) {
      if (!synced.contains(w)) {
        return false;
      }
    }
    return stream.offer(new WatchResponse(-1, kv.currentRevision(), List.of(), 0, false));
  }

  /** Watchers not yet caught up (the slow-watcher gauge). */
  public int unsyncedCount() {
    return unsynced.size();
  }

  /** A write ended: synced watchers get its events, or fall behind if their queue is full. */
  private void notify(long revision, List<Event> events) {
    if (synced.isEmpty()) {
      return;
    }
    Map<Watcher, List<Event>> batches = new LinkedHashMap<>();
    for (Event e : events) {
      for (Watcher w : synced.watchersOf(e.kv().key())) {
        if (revision >= w.minRevision && w.accepts(e)) {
          batches.computeIfAbsent(w, x -> new ArrayList<>()).add(e);
        }
      }
    }
    for (Map.Entry<Watcher, List<Event>> b : batches.entrySet()) {
      Watcher w = b.getKey();
      List<Event> evs = withPrevKvs(w, b.getValue());
      if (w.stream.offer(new WatchResponse(w.id, revision, evs, 0, false))) {
        w.minRevision = revision + 1;
      } else {
        // Slow consumer: replay this revision from the backend later instead of blocking.
        w.minRevision = revision;
        synced.remove(w);
        unsynced.add(w);
      }
    }
    updateGauges();
  }

  /**
   * Catches unsynced watchers up from the backend: each gets one response with every event from its
   * next revision to the current one, and becomes synced if its queue took it. Returns how many
   * watchers remain unsynced.
   */
  public int syncWatchers() {
    if (unsynced.isEmpty()) {
      return 0;
    }
    long current = kv.currentRevision();
    long compacted = kv.compactRevision();
    List<Watcher> pending = new ArrayList<>();
    for (Watcher w : unsynced.watchers()) {
      if (w.minRevision < compacted) {
        // etcd: the watcher's history is gone; tell it the compacted revision and drop it.
        if (w.stream.offer(new WatchResponse(w.id, current, List.of(), compacted, true))) {
          unsynced.remove(w);
          w.stream.watchers.remove(w.id);
        }
      } else {
        pending.add(w);
      }
    }
    long from = Long.MAX_VALUE;
    for (Watcher w : pending) {
      from = Math.min(from, w.minRevision);
    }
    Map<Watcher, List<Event>> batches = new HashMap<>();
    if (!pending.isEmpty() && from <= current) {
      kv.visitHistory(
          from,
          current + 1,
          (rev, tombstone, stored) -> {
            Event e =
                tombstone
                    ? new Event(
                        Event.Type.DELETE, KeyValue.tombstone(stored.key(), rev.main()), null)
                    : new Event(Event.Type.PUT, stored, null);
            for (Watcher w : pending) {
              if (rev.main() >= w.minRevision && w.matches(stored.key()) && w.accepts(e)) {
                batches.computeIfAbsent(w, x -> new ArrayList<>()).add(e);
              }
            }
            return true;
          });
    }
    for (Watcher w : pending) {
      List<Event> evs = batches.getOrDefault(w, List.of());
      boolean sent =
          evs.isEmpty()
              || w.stream.offer(new WatchResponse(w.id, current, withPrevKvs(w, evs), 0, false));
      if (sent) {
        w.minRevision = current + 1;
        unsynced.remove(w);
        synced.add(w);
      }
    }
    updateGauges();
    return unsynced.size();
  }

  private List<Event> withPrevKvs(Watcher w, List<Event> evs) {
    if (!w.prevKv) {
      return evs;
    }
    List<Event> out = new ArrayList<>(evs.size());
    for (Event e : evs) {
      // etcd's watch server reads the key at modRevision - 1, which is before the whole txn.
      out.add(e.withPrevKv(kv.versionAt(e.kv().key(), e.kv().modRevision() - 1).orElse(null)));
    }
    return out;
  }

  private void updateGauges() {
    metrics.watcherTotal.set(synced.size() + unsynced.size());
    metrics.slowWatcherTotal.set(unsynced.size());
    metrics.watchStreamTotal.set(streams);
  }
}
