package io.raftwatch.collector.history;

import java.time.Instant;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;

/**
 * Which alert events {@link HistoryStore#events} returns: all conditions must hold; empty means
 * "any". Immutable; build with {@link #all()} and the {@code with...} methods.
 *
 * @param cluster only this cluster's
 * @param alertname only this alert's
 * @param kinds only these transitions (empty: all)
 * @param from only events at or after this time
 * @param to only events before this time
 * @param limit at most this many, newest first
 */
public record EventFilter(Optional<String> cluster, Optional<String> alertname, Set<AlertEvent.Kind> kinds,
    Optional<Instant> from, Optional<Instant> to, int limit) {

  /** The default and the most a query returns. */
  public static final int MAX_LIMIT = 10_000;

  public EventFilter {
    kinds = kinds.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(kinds));
    if (limit <= 0 || limit > MAX_LIMIT) {
      throw new IllegalArgumentException("limit must be in 1.." + MAX_LIMIT + ", got " + limit);
    }
  }

  /** Every event, newest first, up to {@link #MAX_LIMIT}. */
  public static EventFilter all() {
    return new EventFilter(Optional.empty(), Optional.empty(), Set.of(), Optional.empty(),
        Optional.empty(), MAX_LIMIT);
  }

  public EventFilter withCluster(String c) {
    return new EventFilter(Optional.of(c), alertname, kinds, from, to, limit);
  }

  public EventFilter withAlertname(String a) {
    return new EventFilter(cluster, Optional.of(a), kinds, from, to, limit);
  }

  public EventFilter withKinds(Set<AlertEvent.Kind> k) {
    return new EventFilter(cluster, alertname, k, from, to, limit);
  }

  /** Events in [from, to). */
  public EventFilter between(Instant f, Instant t) {
    return new EventFilter(cluster, alertname, kinds, Optional.of(f), Optional.of(t), limit);
  }

  public EventFilter withLimit(int l) {
    return new EventFilter(cluster, alertname, kinds, from, to, l);
  }
}
