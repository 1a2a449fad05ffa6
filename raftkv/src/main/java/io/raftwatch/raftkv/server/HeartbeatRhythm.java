package io.raftwatch.raftkv.server;

import io.raftwatch.raftkv.raft.Message;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * etcd's check that a leader keeps its heartbeat rhythm: a heartbeat to a peer sent more than twice
 * the heartbeat interval after the previous one means the leader's loop was held up (in etcd's
 * words, "overloaded likely from slow disk"), and its followers are that much closer to starting an
 * election. Each such heartbeat counts in {@code etcd_server_heartbeat_send_failures_total} and is
 * logged with etcd's warning. A heartbeat of a new term starts a new rhythm, as etcd resets its
 * detector when leadership changes. Raft loop thread only.
 */
public final class HeartbeatRhythm {
  private static final Logger log = LoggerFactory.getLogger(HeartbeatRhythm.class);

  private record Sent(long term, long atNanos) {}

  private final long intervalNanos;
  private final LongSupplier nanoTime;
  private final ServerMetrics metrics;
  private final Map<Long, Sent> lastSent = new HashMap<>();

  public HeartbeatRhythm(long heartbeatMillis, LongSupplier nanoTime, ServerMetrics metrics) {
    this.intervalNanos = heartbeatMillis * 1_000_000;
    this.nanoTime = nanoTime;
    this.metrics = metrics;
  }

  /** Looks at the messages the loop is about to send. */
  public void observe(List<Message> messages) {
    for (Message m : messages) {
      if (m instanceof Message.Heartbeat h) {
        long now = nanoTime.getAsLong();
        Sent last = lastSent.put(h.to(), new Sent(h.term(), now));
        long exceeded = last == null || last.term() != h.term()
            ? 0
            : now - last.atNanos() - 2 * intervalNanos;
        if (exceeded > 0) {
          metrics.heartbeatSendFailures.inc();
          log.warn("leader failed to send out heartbeat on time; took too long, leader is"
                  + " overloaded likely from slow disk: to={} heartbeat-interval={}ms"
                  + " expected-duration={}ms exceeded-duration={}ms",
              Long.toHexString(h.to()), intervalNanos / 1_000_000, 2 * intervalNanos / 1_000_000,
              exceeded / 1_000_000);
        }
      }
    }
  }
}
