/**
 * The one-shot health check behind {@code raftwatch check}: scrape every member, scrape again after
 * a short interval so that rates exist, evaluate the alert rules, and sum it up as a Nagios status.
 *
 * <p>{@link io.raftwatch.collector.check.HealthCheck} runs one cluster's check with the jobs'
 * {@link io.raftwatch.collector.jobs.ClusterWatch}; {@link io.raftwatch.collector.check.PrometheusCheck}
 * evaluates the same rules through a Prometheus server instead. What they find is a {@link
 * io.raftwatch.collector.health.ClusterCheck}.
 */
package io.raftwatch.collector.check;
