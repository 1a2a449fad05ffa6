/**
 * Where reports and {@code check --prometheus} read PromQL results and active alerts: the
 * {@link io.raftwatch.collector.report.source.QuerySource} role, answered in-process by {@link
 * io.raftwatch.collector.report.source.EngineQuerySource} or over HTTP by {@link
 * io.raftwatch.collector.report.source.PrometheusApiSource} (a Prometheus server or the
 * collector's own {@code /api/v1/*}). Its own package so that both {@code report} and {@code
 * check} can use it without depending on each other.
 */
package io.raftwatch.collector.report.source;
