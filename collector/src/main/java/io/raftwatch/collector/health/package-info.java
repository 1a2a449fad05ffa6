/**
 * What a health check found and what it means, shared by the scheduled jobs, {@code raftwatch
 * check}, the history, reports and the page: {@link io.raftwatch.collector.health.ClusterState}
 * (each member's latest scrape and the pending and firing alerts, as a run of the jobs saw them),
 * {@link io.raftwatch.collector.health.ClusterCheck} (the verdict on it: a Nagios {@link
 * io.raftwatch.collector.health.CheckStatus} with the members and alerts that decided it) and
 * {@link io.raftwatch.collector.health.CheckSummary} (its text for people). Immutable values and
 * pure functions; no I/O.
 */
package io.raftwatch.collector.health;
