package io.raftwatch.raftkv.server;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.prometheus.client.CollectorRegistry;
import io.raftwatch.raftkv.raft.Message;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class HeartbeatRhythmTest {
  private static final long MS = 1_000_000;

  private final CollectorRegistry registry = new CollectorRegistry();
  private final AtomicLong now = new AtomicLong();
  private final HeartbeatRhythm rhythm =
      new HeartbeatRhythm(100, now::get, new ServerMetrics(registry, 1));

  private double failures() {
    return registry.getSampleValue("etcd_server_heartbeat_send_failures_total");
  }

  private void heartbeat(long to, long term, long afterMillis) {
    now.addAndGet(afterMillis * MS);
    rhythm.observe(List.of(new Message.Heartbeat(1, to, term, 0, null)));
  }

  @Test
  void countsAHeartbeatSentLaterThanTwiceTheIntervalAfterThePreviousOne() {
    heartbeat(2, 5, 0);
    heartbeat(2, 5, 100);
    heartbeat(2, 5, 200); // exactly twice the interval: on time, as in etcd
    assertEquals(0, failures());
    heartbeat(2, 5, 201);
    assertEquals(1, failures());
  }

  @Test
  void keepsEachPeersRhythmApart() {
    heartbeat(2, 5, 0);
    heartbeat(3, 5, 150);
    heartbeat(3, 5, 150); // 3 heard from 150 ms ago; 2 is not part of this send
    assertEquals(0, failures());
    heartbeat(2, 5, 0); // 300 ms since 2's last
    assertEquals(1, failures());
  }

  @Test
  void aNewTermStartsANewRhythm() {
    heartbeat(2, 5, 0);
    heartbeat(2, 7, 5_000); // leader again after an election: no earlier heartbeat of this term
    assertEquals(0, failures());
  }

  @Test
  void ignoresOtherMessages() {
    heartbeat(2, 5, 0);
    now.addAndGet(1_000 * MS);
    rhythm.observe(List.of(new Message.TimeoutNow(1, 2, 5)));
    assertEquals(0, failures());
  }
}
