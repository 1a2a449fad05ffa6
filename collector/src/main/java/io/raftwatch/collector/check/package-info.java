/**
 * The one-shot health check behind {@code raftwatch check}: scrape every member, scrape again after
 * a short interval so that rates exist, evaluate the alert rules, and sum it up as a Nagios status.
 *
 * <p>{@link io.raftwatch.collector.check.HealthCheck} runs one cluster's check; {@link
 * io.raftwatch.collector.check.ClusterCheck} holds what it found and decides the status (pure, unit
 * tested); {@link io.raftwatch.collector.check.ShippedRules} renders the bundled etcd rules with
 * the collector's member labels; {@link io.raftwatch.collector.check.CheckSummary} prints it.
 */
package io.raftwatch.collector.check;
