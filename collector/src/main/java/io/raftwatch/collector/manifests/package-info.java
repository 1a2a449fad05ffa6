/**
 * {@code raftwatch manifests}: turns a cluster description into what Prometheus Operator and
 * Grafana need (Secret, selector-less Service, EndpointSlice, optional Endpoints, ServiceMonitor,
 * PrometheusRule, dashboard ConfigMap and JSON, kustomization.yaml). Every file is rendered by
 * FreeMarker from {@code templates/} (bundled into the jar); Java only builds the data model and
 * never writes YAML itself. Everything is rendered in memory before anything is written, so a
 * bad config writes nothing. Single-threaded; called from the CLI's main thread and from tests.
 */
package io.raftwatch.collector.manifests;
