package io.raftwatch.raftkv.mvcc;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

/**
 * The watchers of one client Watch stream and the bounded queue their responses go to (etcd {@code
 * watchStream} and its channel). The apply thread creates watchers and offers responses, never
 * blocking: when the queue is full, the watcher falls behind (unsynced) and catches up from the
 * backend later. The stream's sender thread takes responses with {@link #poll()} or {@link
 * #take()}; those two are the only thread-safe methods. The server forwards create, cancel and
 * progress requests to the apply thread, which calls the other methods.
 */
public final class WatchStream {
  /** etcd's chanBufLen: responses buffered per stream before watchers fall behind. */
  public static final int DEFAULT_CAPACITY = 128;

  private final WatchableStore store;
  private final BlockingQueue<WatchResponse> queue;
  final Map<Long, Watcher> watchers = new HashMap<>();
  private long nextId;
  private boolean closed;

  WatchStream(WatchableStore store, int capacity) {
    this.store = store;
    this.queue = new ArrayBlockingQueue<>(capacity);
  }

  /**
   * Watches key (or the range to end) from startRevision (0: from the next revision) and returns
   * the watch id: requestedId if not 0, else the next free id. A start revision in the past is
   * replayed by {@link WatchableStore#syncWatchers()}; one already compacted yields a canceled
   * response carrying the compacted revision.
   */
  public long watch(
      byte[] key,
      byte[] end,
      long startRevision,
      long requestedId,
      boolean prevKv,
      boolean filterPut,
      boolean filterDelete) {
    checkOpen();
    long id = requestedId;
    if (id == 0) {
      while (watchers.containsKey(nextId)) {
        nextId++;
      }
      id = nextId++;
    } else if (watchers.containsKey(id)) {
      throw new IllegalArgumentException("mvcc: duplicated watch id " + id);
    }
    Watcher w =
        new Watcher(
            this,
            id,
            key.clone(),
            end == null ? null : end.clone(),
            prevKv,
            filterPut,
            filterDelete,
            0);
    watchers.put(id, w);
    store.add(w, startRevision);
    return id;
  }

  /** Removes the watcher; returns false if there was none with that id. */
  public boolean cancel(long watchId) {
    Watcher w = watchers.remove(watchId);
    return w != null && store.remove(w);
  }

  /** Asks for a progress notification for one watcher; sent only if it is synced. */
  public boolean requestProgress(long watchId) {
    Watcher w = watchers.get(watchId);
    return w != null && store.progress(w);
  }

  /** Asks for one progress notification (watch id -1) if every watcher of the stream is synced. */
  public boolean requestProgressAll() {
    return store.progressAll(this);
  }

  /** The next response, or null if none is queued. Any thread. */
  public WatchResponse poll() {
    return queue.poll();
  }

  /** Waits for the next response. The sender thread only, never the apply thread. */
  public WatchResponse take() throws InterruptedException {
    return queue.take();
  }

  /** Cancels every watcher of the stream. */
  public void close() {
    if (!closed) {
      closed = true;
      for (Watcher w : watchers.values()) {
        store.remove(w);
      }
      watchers.clear();
      store.streamClosed();
    }
  }

  boolean offer(WatchResponse r) {
    return queue.offer(r);
  }

  private void checkOpen() {
    if (closed) {
      throw new IllegalStateException("mvcc: watch stream closed");
    }
  }
}
