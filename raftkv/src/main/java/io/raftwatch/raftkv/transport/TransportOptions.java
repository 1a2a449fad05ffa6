package io.raftwatch.raftkv.transport;

import java.time.Duration;

/**
 * Tuning of {@link GrpcTransport}; {@link #defaults()} follows etcd 3.4 where it has an equivalent
 * (a 4096-message stream buffer per peer, a redial every 100 ms).
 *
 * @param queueCapacity messages buffered per peer before new ones are dropped
 * @param pingInterval how often an idle sender probes its peer, feeding the round-trip histogram
 * @param pingTimeout how long a probe (also the connection check) may take
 * @param minBackoff first wait before reconnecting to a failed peer; doubles up to maxBackoff
 * @param maxBackoff longest wait between reconnection attempts
 * @param snapshotTimeout how long one snapshot transfer may take
 * @param maxMessageBytes largest inbound gRPC frame the peer server accepts
 */
public record TransportOptions(
    int queueCapacity,
    Duration pingInterval,
    Duration pingTimeout,
    Duration minBackoff,
    Duration maxBackoff,
    Duration snapshotTimeout,
    int maxMessageBytes) {

  public static TransportOptions defaults() {
    return new TransportOptions(
        4096,
        Duration.ofSeconds(5),
        Duration.ofSeconds(2),
        Duration.ofMillis(100),
        // etcd's peer streams redial every 100 ms: a restarted member must hear the leader well
        // within its election timeout, or it campaigns and unseats the leader (no pre-vote).
        Duration.ofMillis(100),
        Duration.ofMinutes(5),
        64 << 20);
  }

  public TransportOptions withQueueCapacity(int capacity) {
    return new TransportOptions(
        capacity,
        pingInterval,
        pingTimeout,
        minBackoff,
        maxBackoff,
        snapshotTimeout,
        maxMessageBytes);
  }

  public TransportOptions withPingInterval(Duration interval) {
    return new TransportOptions(
        queueCapacity,
        interval,
        pingTimeout,
        minBackoff,
        maxBackoff,
        snapshotTimeout,
        maxMessageBytes);
  }
}
