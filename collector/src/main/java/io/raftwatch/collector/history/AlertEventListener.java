package io.raftwatch.collector.history;

import java.util.List;

/**
 * Told about alert transitions: the history store, notifiers. Called on the health-check job's
 * thread after each evaluation that changed something, with that evaluation's transitions in rule
 * order; never concurrently for one cluster, but possibly concurrently for different clusters. It
 * should return quickly (queue slow work). An exception it throws is logged and counted by the
 * caller, never stops the job or the other listeners.
 */
@FunctionalInterface
public interface AlertEventListener {
  /** {@code events} is non-empty and all of one cluster and one evaluation. */
  void onEvents(List<AlertEvent> events);
}
