package io.raftwatch.collector.notify;

import io.raftwatch.collector.rules.AlertingRule;
import io.raftwatch.collector.tsdb.Labels;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Which alerts of one cluster must be sent to the receivers at a given time: the send side of
 * Prometheus's {@code rules/alerting.go} ({@code needsSending}, {@code sendAlerts}) and {@code
 * SendAlerts} in {@code rules/manager.go}, fed with the transitions the collector reports instead
 * of the rule's own alert map.
 *
 * <p>A firing alert is sent when it starts firing and then again whenever the resend delay has
 * passed, each time with {@code endsAt = now + 4 × max(resendDelay, evaluation interval)}, so that
 * Alertmanager resolves it by itself if raftwatch goes away ("allow for two Eval or Alertmanager
 * send failures"). A resolved alert is sent at once with {@code endsAt} = the time it resolved,
 * and again at every resend for the 15 minutes Prometheus keeps resolved alerts, so that an
 * Alertmanager that missed the first message still learns it. Pending alerts are never sent.
 *
 * <p>Plain single-threaded object: no clock, no I/O. The caller passes the time in and
 * serializes calls.
 */
public final class AlertTracker {
  private final Duration resendDelay;
  private final Duration evaluationInterval;
  private final Map<Labels, Tracked> alerts = new LinkedHashMap<>();

  private static final class Tracked {
    Labels annotations;
    final Instant firedAt;
    final String generatorUrl;
    // Null while firing.
    Instant resolvedAt;
    // Null until first sent.
    Instant lastSentAt;

    Tracked(Labels annotations, Instant firedAt, String generatorUrl) {
      this.annotations = annotations;
      this.firedAt = firedAt;
      this.generatorUrl = generatorUrl;
    }
  }

  /**
   * @param resendDelay Prometheus's {@code --rules.alert.resend-delay} (1m by default)
   * @param evaluationInterval how often the cluster's rules are evaluated
   */
  public AlertTracker(Duration resendDelay, Duration evaluationInterval) {
    this.resendDelay = resendDelay;
    this.evaluationInterval = evaluationInterval;
  }

  /**
   * The alert with these labels fires (again) since {@code firedAt}. An alert that resolved and
   * fires again is a new alert with a new start, as in Prometheus.
   */
  public void firing(Labels labels, Labels annotations, Instant firedAt, String generatorUrl) {
    Tracked t = alerts.get(labels);
    if (t != null && t.resolvedAt != null && !firedAt.isAfter(t.resolvedAt)) {
      // News from before the resolution (a state read just before it): stale, not a new alert.
      return;
    }
    if (t == null || t.resolvedAt != null) {
      alerts.put(labels, new Tracked(annotations, firedAt, generatorUrl));
    } else {
      t.annotations = annotations;
    }
  }

  /**
   * The alert stopped firing at {@code resolvedAt}. Ignored for an alert never seen firing: a
   * pending alert that goes away was never sent, so there is nothing to resolve.
   */
  public void resolved(Labels labels, Instant resolvedAt) {
    Tracked t = alerts.get(labels);
    if (t != null && t.resolvedAt == null) {
      t.resolvedAt = resolvedAt;
    }
  }

  /**
   * The alerts to send at {@code now}, marking them sent; forgets resolved alerts older than the
   * retention first, as the rule's evaluation does before it sends.
   */
  public List<OutgoingAlert> due(Instant now) {
    List<OutgoingAlert> out = new ArrayList<>();
    Duration lease = (evaluationInterval.compareTo(resendDelay) > 0 ? evaluationInterval : resendDelay)
        .multipliedBy(4);
    for (Iterator<Map.Entry<Labels, Tracked>> it = alerts.entrySet().iterator(); it.hasNext(); ) {
      Map.Entry<Labels, Tracked> e = it.next();
      Tracked t = e.getValue();
      if (t.resolvedAt != null
          && t.resolvedAt.plus(AlertingRule.RESOLVED_RETENTION).isBefore(now)) {
        it.remove();
        continue;
      }
      if (!needsSending(t, now)) {
        continue;
      }
      t.lastSentAt = now;
      boolean resolved = t.resolvedAt != null;
      out.add(new OutgoingAlert(e.getKey(), t.annotations, t.firedAt,
          resolved ? t.resolvedAt : now.plus(lease), resolved, t.generatorUrl));
    }
    return out;
  }

  /** How many alerts are remembered (firing, or resolved within the retention). */
  public int size() {
    return alerts.size();
  }

  private boolean needsSending(Tracked t, Instant now) {
    if (t.lastSentAt == null) {
      return true;
    }
    // Resolved since the last send: tell the receivers now rather than at the next resend.
    if (t.resolvedAt != null && t.resolvedAt.isAfter(t.lastSentAt)) {
      return true;
    }
    return t.lastSentAt.plus(resendDelay).isBefore(now);
  }
}
