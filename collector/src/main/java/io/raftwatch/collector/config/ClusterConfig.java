package io.raftwatch.collector.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One etcd-like cluster to watch.
 *
 * @param name the cluster's name; the value of the {@code cluster} label on every series
 * @param job the {@code job} label; the cluster's name unless configured
 * @param members at least one; names and scrape URLs unique within the cluster
 * @param tls client TLS settings for every member, or empty for plain http / system CAs
 * @param labels extra labels added to every series scraped from this cluster; never one of the
 *     reserved names ({@code job}, {@code instance}, {@code cluster}, {@code member}, {@code __*})
 * @param scrapeInterval how often each member is scraped
 * @param scrapeTimeout the limit for one scrape (connect + read); never above {@code
 *     scrapeInterval}
 * @param bodySizeLimitBytes a scrape whose uncompressed body is larger fails ("body over 50 MiB")
 * @param ruleFiles rule files to load, absolute (resolved against the file's directory)
 * @param kubernetes what {@code raftwatch manifests} needs
 * @param maintenance opt-in defragment and compact jobs; {@link MaintenanceConfig#disabled()}
 *     unless configured
 * @param checkCron a Quartz cron expression on which the health check runs instead of every
 *     {@code scrapeInterval}; {@code raftwatch run --check-cron} overrides it
 */
public record ClusterConfig(
    String name,
    String job,
    List<MemberConfig> members,
    Optional<TlsConfig> tls,
    Map<String, String> labels,
    Duration scrapeInterval,
    Duration scrapeTimeout,
    long bodySizeLimitBytes,
    List<Path> ruleFiles,
    KubernetesConfig kubernetes,
    MaintenanceConfig maintenance,
    Optional<String> checkCron) {

  /** Prometheus's default scrape interval for this project's seed set-up. */
  public static final Duration DEFAULT_SCRAPE_INTERVAL = Duration.ofSeconds(15);
  /** Prometheus's default scrape timeout. */
  public static final Duration DEFAULT_SCRAPE_TIMEOUT = Duration.ofSeconds(10);
  /** 50 MiB: an etcd member's scrape is about 150 KB, so this only stops runaway targets. */
  public static final long DEFAULT_BODY_SIZE_LIMIT = 50L << 20;

  public ClusterConfig {
    members = List.copyOf(members);
    labels = Map.copyOf(labels);
    ruleFiles = List.copyOf(ruleFiles);
  }

  /** A cluster without maintenance jobs, checked every scrape interval. */
  public ClusterConfig(
      String name,
      String job,
      List<MemberConfig> members,
      Optional<TlsConfig> tls,
      Map<String, String> labels,
      Duration scrapeInterval,
      Duration scrapeTimeout,
      long bodySizeLimitBytes,
      List<Path> ruleFiles,
      KubernetesConfig kubernetes) {
    this(name, job, members, tls, labels, scrapeInterval, scrapeTimeout, bodySizeLimitBytes,
        ruleFiles, kubernetes, MaintenanceConfig.disabled(), Optional.empty());
  }
}
