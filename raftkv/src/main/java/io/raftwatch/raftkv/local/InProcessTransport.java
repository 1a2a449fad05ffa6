package io.raftwatch.raftkv.local;

import io.raftwatch.raftkv.raft.Message;
import io.raftwatch.raftkv.server.RaftLoop;
import io.raftwatch.raftkv.transport.Transport;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Delivers messages straight into the recipients' raft loop queues. A member that is not running
 * is unreachable and what is sent to it is reported dropped; snapshots are reported delivered as soon as they are queued, as a real
 * transport does once the stream completes. Used by the local cluster and by tests of other
 * packages that run members in one JVM.
 */
public final class InProcessTransport {
  private final Map<Long, RaftLoop> running = new ConcurrentHashMap<>();

  public void attach(long id, RaftLoop loop) {
    running.put(id, loop);
  }

  public void detach(long id) {
    running.remove(id);
  }

  /** The transport one member sends through; {@code feedback} goes to that member's loop. */
  public Transport forMember(Transport.Feedback feedback) {
    return (List<Message> messages) -> {
      for (Message m : messages) {
        RaftLoop to = running.get(m.to());
        if (to == null) {
          feedback.unreachable(m.to());
          if (m instanceof Message.InstallSnapshot) {
            feedback.snapshotDelivered(m.to(), false);
          }
          feedback.dropped(m);
          continue;
        }
        to.deliver(m);
        if (m instanceof Message.InstallSnapshot) {
          feedback.snapshotDelivered(m.to(), true);
        }
      }
    };
  }
}
