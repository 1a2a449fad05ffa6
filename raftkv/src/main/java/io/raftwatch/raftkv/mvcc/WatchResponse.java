package io.raftwatch.raftkv.mvcc;

import java.util.List;

/**
 * One message for a watch stream (etcd {@code mvcc.WatchResponse} plus the cancel flag): the
 * watcher's events, the store revision they bring the watcher up to, and, when the watcher asked
 * for history that compaction removed, the compacted revision with {@code canceled} true (the
 * watcher is gone). A progress notification has no events; its watchId is -1 when it speaks for
 * every watcher of the stream.
 */
public record WatchResponse(
    long watchId, long revision, List<Event> events, long compactRevision, boolean canceled) {
  public WatchResponse {
    events = List.copyOf(events);
  }
}
