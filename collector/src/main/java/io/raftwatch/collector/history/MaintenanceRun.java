package io.raftwatch.collector.history;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * One run of a maintenance chore (defragmentation, compaction) on one member. Immutable; written by
 * the maintenance jobs, read by the web page and reports.
 *
 * @param cluster the cluster
 * @param member the member acted on; "" for a cluster-wide chore
 * @param action what was done, e.g. "defragment", "compact"
 * @param startedAt when it started
 * @param finishedAt when it ended
 * @param outcome how it ended
 * @param detail for people: sizes before and after, the revision compacted to, the error
 * @param instance which collector ran it
 */
public record MaintenanceRun(String cluster, String member, String action, Instant startedAt,
    Instant finishedAt, Outcome outcome, String detail, String instance) {

  /** How a maintenance run ended. */
  public enum Outcome {
    SUCCEEDED,
    FAILED,
    /** Not attempted, e.g. because the condition that asked for it no longer held. */
    SKIPPED
  }

  /** How long it took. */
  public Duration duration() {
    return Duration.between(startedAt, finishedAt);
  }

  /** The member, empty for a cluster-wide chore. */
  public Optional<String> memberName() {
    return member.isEmpty() ? Optional.empty() : Optional.of(member);
  }
}
