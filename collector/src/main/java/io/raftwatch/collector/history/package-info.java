/**
 * What the collector found, kept over JDBC: alert transitions ({@link
 * io.raftwatch.collector.history.AlertEvent}), the result of every scheduled health check ({@link
 * io.raftwatch.collector.history.CheckResult}) and the maintenance runs ({@link
 * io.raftwatch.collector.history.MaintenanceRun}). An embedded H2 file under the data directory by
 * default, PostgreSQL when several collectors share one history; the schema is created and moved
 * forward by {@link io.raftwatch.collector.history.SchemaMigrator}. Read by the web page, reports
 * and notifications; written by the jobs.
 */
package io.raftwatch.collector.history;
