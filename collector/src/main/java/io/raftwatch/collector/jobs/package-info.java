/**
 * The running collector: {@link io.raftwatch.collector.jobs.Collector} ties the scrapers, the
 * series store, the rule engine and the history together and schedules, with Quartz, each
 * cluster's health check ({@link io.raftwatch.collector.jobs.ClusterWatch#runOnce}: scrape every
 * member, then evaluate every rule group at one instant), the daily report and the history
 * retention. Runs alone with an in-memory scheduler, or clustered with other collectors on a
 * shared PostgreSQL database, where each fire runs on exactly one of them.
 */
package io.raftwatch.collector.jobs;
