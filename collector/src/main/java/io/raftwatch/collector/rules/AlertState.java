package io.raftwatch.collector.rules;

import java.util.Locale;

/**
 * Where an alert is in its life: {@code INACTIVE} (resolved, kept for a while), {@code PENDING}
 * (its expression returns it, but not yet for the rule's {@code for}), {@code FIRING}.
 */
public enum AlertState {
  INACTIVE,
  PENDING,
  FIRING;

  /** The name Prometheus uses in the {@code alertstate} label and its API: "pending", ... */
  @Override
  public String toString() {
    return name().toLowerCase(Locale.ROOT);
  }
}
