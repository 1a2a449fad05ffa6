package io.raftwatch.collector.config;

import java.util.List;
import java.util.Optional;

/**
 * A validated cluster description: what {@code raftwatch.yaml} (or the etcdctl-style flags)
 * says. Immutable; built by {@link ConfigLoader} or {@link EndpointsConfig} and handed to the
 * scraper, the rule loader and the manifest renderer.
 *
 * @param source where it came from, for messages: the file as given, or {@code command line}
 * @param clusters at least one, names unique
 * @param notifications where alerts are sent; {@link NotifyConfig#none()} when the file has no {@code
 *     notify:} section
 */
public record RaftwatchConfig(String source, List<ClusterConfig> clusters, NotifyConfig notifications) {
  public RaftwatchConfig {
    clusters = List.copyOf(clusters);
  }

  /** A description that sends no notifications. */
  public RaftwatchConfig(String source, List<ClusterConfig> clusters) {
    this(source, clusters, NotifyConfig.none());
  }

  /** The cluster of that name, if described. */
  public Optional<ClusterConfig> cluster(String name) {
    return clusters.stream().filter(c -> c.name().equals(name)).findFirst();
  }
}
