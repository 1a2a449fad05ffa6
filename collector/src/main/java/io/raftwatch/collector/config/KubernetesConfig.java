package io.raftwatch.collector.config;

import java.util.Map;
import java.util.Optional;

/**
 * What {@code raftwatch manifests} needs to hand a cluster to Prometheus Operator (issue 6).
 * Every name here is a valid DNS-1123 label.
 *
 * @param namespace where the Service, EndpointSlice, Secret and ServiceMonitor go
 * @param labels put on every rendered object
 * @param serviceName the selector-less Service (and the EndpointSlice's service-name label)
 * @param metricsPort which member listener the ServiceMonitor scrapes
 * @param secretName the Secret rendered from the TLS files (keys {@code ca.crt}, {@code
 *     client.crt}, {@code client.key})
 * @param existingSecret the name of a Secret that already holds the TLS files; when given nothing
 *     is rendered from the key file (the safer choice: no key in the output)
 * @param ruleLabels labels on the PrometheusRule, to match the Prometheus resource's ruleSelector
 * @param dashboardLabels labels on the dashboard ConfigMap, to match Grafana's sidecar
 * @param legacyEndpoints also render core/v1 Endpoints, for clusters older than EndpointSlice
 * @param prometheusSecretMount the Prometheus resource ({@code namespace/name}) whose {@code
 *     secrets:} list should mount the Secret; when given, the ServiceMonitor refers to the files
 *     under {@code /etc/prometheus/secrets/} (the older style) instead of the Secret's keys
 */
public record KubernetesConfig(
    String namespace,
    Map<String, String> labels,
    String serviceName,
    MetricsPort metricsPort,
    String secretName,
    Optional<String> existingSecret,
    Map<String, String> ruleLabels,
    Map<String, String> dashboardLabels,
    boolean legacyEndpoints,
    Optional<PrometheusRef> prometheusSecretMount) {

  /** Without {@code prometheusSecretMount}: the ServiceMonitor refers to the Secret's keys. */
  public KubernetesConfig(String namespace, Map<String, String> labels, String serviceName,
      MetricsPort metricsPort, String secretName, Optional<String> existingSecret,
      Map<String, String> ruleLabels, Map<String, String> dashboardLabels,
      boolean legacyEndpoints) {
    this(namespace, labels, serviceName, metricsPort, secretName, existingSecret, ruleLabels,
        dashboardLabels, legacyEndpoints, Optional.empty());
  }

  public KubernetesConfig {
    labels = Map.copyOf(labels);
    ruleLabels = Map.copyOf(ruleLabels);
    dashboardLabels = Map.copyOf(dashboardLabels);
  }

  /** The member listener a ServiceMonitor scrapes. */
  public enum MetricsPort {
    /** The client port ({@code url}): needs a client certificate that opens the whole database. */
    CLIENT,
    /** etcd's {@code --listen-metrics-urls} port ({@code metricsUrl}): least privilege. */
    METRICS
  }

  /** A Prometheus resource of Prometheus Operator, by namespace and name (DNS-1123 both). */
  public record PrometheusRef(String namespace, String name) {}
}
