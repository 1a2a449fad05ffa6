/**
 * The collector's web server: the report page, its JSON API and live events, the collector's own
 * {@code /metrics}, and a Prometheus-compatible {@code /api/v1/*} over the collected series so that
 * Grafana can use the collector as a Prometheus data source.
 *
 * <p>{@link io.raftwatch.collector.web.CollectorWeb} wires it to a running {@code
 * jobs.Collector} (called by {@code cli.RunCommand}). {@link io.raftwatch.collector.web.WebServer}
 * (the JDK's {@code com.sun.net.httpserver}, a bounded worker pool) routes requests to {@link
 * io.raftwatch.collector.web.Endpoint}s: {@link io.raftwatch.collector.web.PrometheusApi} (query,
 * query_range, series, labels, label values, buildinfo; parameters parsed by {@code ApiParams},
 * results written by {@code PromJson}, both as Prometheus 2.42 does), {@link
 * io.raftwatch.collector.web.RulesApi} (alerts, rules), {@link
 * io.raftwatch.collector.web.MetricsEndpoint}, the page's files ({@link
 * io.raftwatch.collector.web.PageResources}), its JSON API ({@link
 * io.raftwatch.collector.web.PageApi}, with {@code MemberCharts}) and its report links ({@link
 * io.raftwatch.collector.web.ReportPages}, rendering through the {@code report} package). {@link io.raftwatch.collector.web.EventStream} pushes Server-Sent Events to open
 * pages. A refused request is an {@link io.raftwatch.collector.web.ApiException}, answered with
 * Prometheus's error JSON; clients never see a stack trace or a secret.
 */
package io.raftwatch.collector.web;
