package io.raftwatch.collector.history;

import io.raftwatch.collector.health.CheckStatus;
import java.time.Instant;

/**
 * The outcome of one scheduled health check of one cluster. Immutable; written by the health-check
 * job, read by the web page and reports.
 *
 * @param cluster the cluster checked
 * @param fireTime the scheduled time of the fire that ran the check: at most one result per
 *     cluster and fire time, even with several collectors
 * @param checkedAt when the rules were evaluated
 * @param status the verdict, with the meaning of {@code raftwatch check}'s
 * @param summary one line for people: members up, leader, alerts firing and pending
 * @param instance which collector ran it (its scheduler instance id)
 */
public record CheckResult(String cluster, Instant fireTime, Instant checkedAt, CheckStatus status,
    String summary, String instance) {}
