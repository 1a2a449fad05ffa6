package io.raftwatch.raftkv.raft;

import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Pending ReadIndex requests on a leader (thesis §6.4): each waits until a heartbeat round that
 * started after it was acknowledged by a majority, which proves the leader was still leader when
 * the read index was taken.
 */
final class ReadOnly {
  record Pending(long index, Message.ReadIndexRequest request, Set<Long> acks) {}

  private final Map<ByteBuffer, Pending> pending = new HashMap<>();
  private final ArrayDeque<ByteBuffer> queue = new ArrayDeque<>();

  /** Registers a request at the current commit index; duplicates of a pending context are ignored. */
  void addRequest(long index, Message.ReadIndexRequest m) {
    ByteBuffer key = ByteBuffer.wrap(m.context());
    if (pending.containsKey(key)) {
      return;
    }
    pending.put(key, new Pending(index, m, new HashSet<>()));
    queue.addLast(key);
  }

  /** Records that {@code id} answered the heartbeat carrying {@code context}; returns the acks. */
  Set<Long> recvAck(long id, byte[] context) {
    Pending p = pending.get(ByteBuffer.wrap(context));
    if (p == null) {
      return Set.of();
    }
    p.acks.add(id);
    return p.acks;
  }

  /**
   * Removes and returns every request up to and including the one with {@code context}: a quorum
   * that acknowledged a later heartbeat also vouches for the earlier requests.
   */
  List<Pending> advance(byte[] context) {
    ByteBuffer key = ByteBuffer.wrap(context);
    if (!pending.containsKey(key)) {
      return List.of();
    }
    List<Pending> out = new ArrayList<>();
    while (!queue.isEmpty()) {
      ByteBuffer k = queue.removeFirst();
      out.add(pending.remove(k));
      if (k.equals(key)) {
        break;
      }
    }
    return out;
  }

  /** Context of the newest pending request, to piggyback on heartbeats; empty if none. */
  byte[] lastPendingContext() {
    if (queue.isEmpty()) {
      return new byte[0];
    }
    ByteBuffer b = queue.peekLast();
    byte[] out = new byte[b.remaining()];
    b.duplicate().get(out);
    return out;
  }

  void clear() {
    pending.clear();
    queue.clear();
  }
}
