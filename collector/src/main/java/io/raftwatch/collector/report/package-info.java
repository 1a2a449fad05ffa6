/**
 * Reports on one cluster over a time window: {@code raftwatch report}, the daily report job and
 * the web page's {@code /reports/}.
 *
 * <p>{@link io.raftwatch.collector.report.ReportBuilder} asks a {@link
 * io.raftwatch.collector.report.source.QuerySource} (the collector's engine in-process, or a
 * Prometheus HTTP API) the PromQL of {@code ReportQueries} and builds a {@link
 * io.raftwatch.collector.report.ClusterReport}: the verdict as {@code check.ClusterCheck} decides
 * it, each member's health, active and recent alerts with their runbooks, and charts. {@link
 * io.raftwatch.collector.report.ReportRenderer} renders it with the FreeMarker templates under
 * {@code templates/report/} (HTML with inline CSS and {@link
 * io.raftwatch.collector.report.SvgChart} charts, Markdown with {@code MarkdownOutputFormat}'s
 * escaping) or as JSON in the versioned form of {@code docs/report.schema.json}. {@link
 * io.raftwatch.collector.report.CollectorReports} builds them from a running collector. The
 * builder and the renderers are pure: they read no clock and touch no file or socket.
 */
package io.raftwatch.collector.report;
