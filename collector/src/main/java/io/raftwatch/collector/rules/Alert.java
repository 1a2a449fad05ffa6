package io.raftwatch.collector.rules;

import io.raftwatch.collector.tsdb.Labels;
import java.time.Instant;
import java.util.Optional;

/**
 * One alert of an {@link AlertingRule}: the label set its expression returned, with its state and
 * the times it changed. Mutated only by its rule, on the rule's evaluating thread; others get
 * copies through {@link AlertingRule#activeAlerts()}.
 */
public final class Alert {
  final Labels labels;
  Labels annotations;
  AlertState state;
  double value;
  // When the expression first returned this label set in the current run (pending since).
  final Instant activeAt;
  Instant firedAt;
  Instant resolvedAt;
  // When the expression stopped returning it while keep_firing_for holds it firing.
  Instant keepFiringSince;

  Alert(Labels labels, Labels annotations, Instant activeAt, double value) {
    this.labels = labels;
    this.annotations = annotations;
    this.activeAt = activeAt;
    this.value = value;
    this.state = AlertState.PENDING;
  }

  private Alert(Alert a) {
    this(a.labels, a.annotations, a.activeAt, a.value);
    state = a.state;
    firedAt = a.firedAt;
    resolvedAt = a.resolvedAt;
    keepFiringSince = a.keepFiringSince;
  }

  Alert copy() {
    return new Alert(this);
  }

  /** The labels: the sample's, without {@code __name__}, plus the rule's and {@code alertname}. */
  public Labels labels() {
    return labels;
  }

  /** The expanded annotations, as a sorted label set. */
  public Labels annotations() {
    return annotations;
  }

  public AlertState state() {
    return state;
  }

  /** The expression's value at the latest evaluation that returned this alert. */
  public double value() {
    return value;
  }

  public Instant activeAt() {
    return activeAt;
  }

  public Optional<Instant> firedAt() {
    return Optional.ofNullable(firedAt);
  }

  /** When it went from pending or firing to inactive. */
  public Optional<Instant> resolvedAt() {
    return Optional.ofNullable(resolvedAt);
  }

  public Optional<Instant> keepFiringSince() {
    return Optional.ofNullable(keepFiringSince);
  }

  @Override
  public String toString() {
    return state + " " + labels + " value=" + value;
  }
}
