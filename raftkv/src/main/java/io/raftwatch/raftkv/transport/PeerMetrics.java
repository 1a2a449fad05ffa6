package io.raftwatch.raftkv.transport;

import io.prometheus.client.CollectorRegistry;
import io.prometheus.client.Counter;
import io.prometheus.client.Gauge;
import io.prometheus.client.Histogram;
import java.util.Arrays;

/**
 * etcd 3.4's peer network metrics, with its names, labels and buckets; member ids are written in
 * hex as etcd writes them. Series appear on first use only, as in etcd (a scrape of a healthy
 * member has no {@code etcd_network_peer_sent_failures_total}). Thread-safe; called by sender
 * threads and gRPC server threads.
 */
public final class PeerMetrics {
  private final String local;
  private final ByPeer sentBytes;
  private final ByPeer receivedBytes;
  private final Counter sentFailures;
  private final Histogram roundTrip;
  private final Gauge activePeers;
  private final Counter disconnectedPeers;

  public PeerMetrics(CollectorRegistry registry, long localId) {
    this.local = hex(localId);
    sentBytes =
        new ByPeer(
            Counter.build(
                    "etcd_network_peer_sent_bytes_total", "The total number of bytes sent to peers.")
                .labelNames("To")
                .register(registry));
    receivedBytes =
        new ByPeer(
            Counter.build(
                    "etcd_network_peer_received_bytes_total",
                    "The total number of bytes received from peers.")
                .labelNames("From")
                .register(registry));
    sentFailures =
        Counter.build(
                "etcd_network_peer_sent_failures_total",
                "The total number of send failures from peers.")
            .labelNames("To")
            .register(registry);
    roundTrip =
        Histogram.build(
                "etcd_network_peer_round_trip_time_seconds",
                "Round-Trip-Time histogram between peers")
            .labelNames("To")
            .exponentialBuckets(0.0001, 2, 16)
            .register(registry);
    activePeers =
        Gauge.build("etcd_network_active_peers", "The current number of active peer connections.")
            .labelNames("Local", "Remote")
            .register(registry);
    disconnectedPeers =
        Counter.build(
                "etcd_network_disconnected_peers_total", "The total number of disconnected peers.")
            .labelNames("Local", "Remote")
            .register(registry);
  }

  /** Member ids as etcd prints them: lower-case hex without padding. */
  public static String hex(long id) {
    return Long.toHexString(id);
  }

  void sent(long to, long bytes) {
    sentBytes.of(to).inc(bytes);
  }

  void received(long from, long bytes) {
    receivedBytes.of(from).inc(bytes);
  }

  void sendFailed(long to) {
    sentFailures.labels(hex(to)).inc();
  }

  void roundTrip(long to, double seconds) {
    roundTrip.labels(hex(to)).observe(seconds);
  }

  void activated(long remote) {
    activePeers.labels(local, hex(remote)).inc();
  }

  void deactivated(long remote) {
    activePeers.labels(local, hex(remote)).dec();
    disconnectedPeers.labels(local, hex(remote)).inc();
  }

  /**
   * The series of a counter labelled by one member id, found by a scan of the few peers seen: the
   * registry's own lookup formats the id and allocates a label list on every call, and these two
   * counters count every peer message.
   */
  private static final class ByPeer {
    private record Series(long id, Counter.Child child) {}

    private final Counter counter;
    private volatile Series[] known = new Series[0];

    ByPeer(Counter counter) {
      this.counter = counter;
    }

    Counter.Child of(long id) {
      for (Series s : known) {
        if (s.id() == id) {
          return s.child();
        }
      }
      synchronized (this) {
        Series[] now = known;
        for (Series s : now) {
          if (s.id() == id) {
            return s.child();
          }
        }
        Series added = new Series(id, counter.labels(hex(id)));
        Series[] grown = Arrays.copyOf(now, now.length + 1);
        grown[now.length] = added;
        known = grown;
        return added.child();
      }
    }
  }
}
