package io.raftwatch.collector.notify;

import io.raftwatch.collector.tsdb.Labels;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The little of Alertmanager a plain webhook needs: alerts grouped by {@code cluster} and {@code
 * alertname}, and for each group the decision whether to notify, as Alertmanager's dispatcher and
 * {@code DedupStage.needsUpdate} make it: a new firing alert, a resolved one or a group that
 * went all quiet notifies; an unchanged firing group notifies again after the repeat interval;
 * resolved alerts are dropped from the group once a notification carrying them was delivered.
 *
 * <p>One instance per webhook. Plain single-threaded object: the caller serializes calls and
 * passes the time in.
 */
final class WebhookGroups {
  static final List<String> GROUP_BY = List.of("alertname", "cluster");

  /**
   * Alertmanager's order in a notification ({@code types.AlertSlice}): by {@code job}, then {@code
   * instance} (an alert with the label before one without), then by the whole label set.
   */
  static final Comparator<OutgoingAlert> ORDER = (a, b) -> {
    for (String key : List.of("job", "instance")) {
      String x = a.labels().get(key);
      String y = b.labels().get(key);
      boolean hasX = x != null && !x.isEmpty();
      boolean hasY = y != null && !y.isEmpty();
      if (!hasX && !hasY) {
        continue;
      }
      if (!hasX) {
        return 1;
      }
      if (!hasY) {
        return -1;
      }
      int c = x.compareTo(y);
      if (c != 0) {
        return c;
      }
    }
    return a.labels().compareTo(b.labels());
  };

  private final Duration repeatInterval;
  private final Map<Labels, Group> groups = new LinkedHashMap<>();

  private static final class Group {
    final Map<Labels, OutgoingAlert> alerts = new LinkedHashMap<>();
    // What the last delivered notification said; null before the first.
    Set<Labels> notifiedFiring;
    Set<Labels> notifiedResolved;
    Instant notifiedAt;
    boolean inFlight;
  }

  WebhookGroups(Duration repeatInterval) {
    this.repeatInterval = repeatInterval;
  }

  /** Takes the latest version of each alert; a later message about the same labels replaces it. */
  void add(List<OutgoingAlert> alerts) {
    for (OutgoingAlert a : alerts) {
      groups.computeIfAbsent(a.labels().keep(GROUP_BY), k -> new Group()).alerts.put(a.labels(), a);
    }
  }

  /**
   * The notifications due at {@code now}, one per group that needs one and has none in flight.
   * Each must be answered with {@link #delivered} or {@link #failed}.
   */
  List<WebhookMessage> due(Instant now) {
    List<WebhookMessage> out = new ArrayList<>();
    for (var it = groups.entrySet().iterator(); it.hasNext(); ) {
      var e = it.next();
      Group g = e.getValue();
      if (g.inFlight) {
        continue;
      }
      Set<Labels> firing = new HashSet<>();
      Set<Labels> resolved = new HashSet<>();
      for (OutgoingAlert a : g.alerts.values()) {
        (a.resolvedAt(now) ? resolved : firing).add(a.labels());
      }
      if (!needsUpdate(g, firing, resolved, now)) {
        if (firing.isEmpty()) {
          // Nothing fires and the receiver knows it (or never heard of these alerts).
          it.remove();
        }
        continue;
      }
      List<OutgoingAlert> alerts = new ArrayList<>(g.alerts.values());
      alerts.sort(ORDER);
      g.inFlight = true;
      out.add(new WebhookMessage(e.getKey(), alerts, now));
    }
    return out;
  }

  /** The receiver accepted {@code message}: remember what it knows, forget sent resolved alerts. */
  void delivered(WebhookMessage message) {
    Group g = groups.get(message.groupLabels());
    if (g == null) {
      return;
    }
    g.inFlight = false;
    g.notifiedFiring = new HashSet<>();
    g.notifiedResolved = new HashSet<>();
    g.notifiedAt = message.at();
    for (OutgoingAlert a : message.alerts()) {
      if (a.resolvedAt(message.at())) {
        g.notifiedResolved.add(a.labels());
        // Only if no newer version (say, firing again) arrived meanwhile.
        g.alerts.remove(a.labels(), a);
      } else {
        g.notifiedFiring.add(a.labels());
      }
    }
    if (g.alerts.isEmpty()) {
      groups.remove(message.groupLabels());
    }
  }

  /** The receiver did not take {@code message}; the group is tried again at the next tick. */
  void failed(WebhookMessage message) {
    Optional.ofNullable(groups.get(message.groupLabels())).ifPresent(g -> g.inFlight = false);
  }

  private boolean needsUpdate(Group g, Set<Labels> firing, Set<Labels> resolved, Instant now) {
    if (g.notifiedFiring == null) {
      return !firing.isEmpty();
    }
    if (!g.notifiedFiring.containsAll(firing)) {
      return true;
    }
    if (firing.isEmpty()) {
      return !g.notifiedFiring.isEmpty();
    }
    if (!g.notifiedResolved.containsAll(resolved)) {
      return true;
    }
    return !g.notifiedAt.plus(repeatInterval).isAfter(now);
  }
}
