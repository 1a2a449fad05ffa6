package io.raftwatch.collector.notify;

import io.raftwatch.collector.tsdb.Labels;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * One alert as it is handed to receivers: Prometheus's {@code notifier.Alert}. Immutable; made by
 * {@link AlertTracker} on the thread that ticks the notifier, read by the sender threads.
 *
 * @param labels the alert's identity: the rule's labels, {@code alertname}, the cluster label and
 *     the external labels
 * @param annotations the expanded annotations
 * @param startsAt when the alert started firing (Prometheus sends the rule's {@code FiredAt})
 * @param endsAt the time it resolved, or, while it fires, how long the receiver may consider it
 *     firing without hearing from raftwatch again ({@code ValidUntil})
 * @param resolved whether {@code endsAt} is a resolution rather than a lease
 * @param generatorUrl a link to the expression on the collector's page
 */
public record OutgoingAlert(
    Labels labels,
    Labels annotations,
    Instant startsAt,
    Instant endsAt,
    boolean resolved,
    String generatorUrl) {

  /** Times are kept to the millisecond, the precision of Prometheus and of the v2 API. */
  public OutgoingAlert {
    startsAt = startsAt.truncatedTo(ChronoUnit.MILLIS);
    endsAt = endsAt.truncatedTo(ChronoUnit.MILLIS);
  }

  /** Alertmanager's view: an alert is resolved once its end time is not in the future. */
  public boolean resolvedAt(Instant now) {
    return !endsAt.isAfter(now);
  }

  /** Alertmanager's fingerprint of the label set, as 16 hex digits. */
  public String fingerprint() {
    return Fingerprint.of(labels);
  }
}
