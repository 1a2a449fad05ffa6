package io.raftwatch.collector.rules;

import io.raftwatch.collector.config.ClusterConfig;
import io.raftwatch.collector.rules.RuleFileException;
import io.raftwatch.collector.rules.RuleFileLoader;
import io.raftwatch.collector.rules.RuleFileRenderer;
import io.raftwatch.collector.rules.RuleGroup;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The etcd alert rules bundled in the jar ({@code alert-rules/src/etcd.rules.yaml.ftl}), rendered
 * for the collector's own series: a member is identified by {@code instance} and {@code member}
 * (the scraper adds both, so the cluster-wide alerts must aggregate both away or they split per
 * member), and the selector is the cluster's {@code job}. Called by {@code raftwatch check} and the
 * collector on their starting thread; stateless.
 */
public final class ShippedRules {
  /** Where the shipped rules come from, as error messages name it. */
  public static final String SOURCE = "alert-rules/src/etcd.rules.yaml.ftl";
  static final List<String> MEMBER_LABELS = List.of("instance", "member");

  private ShippedRules() {}

  /**
   * The rule groups of {@code cluster}: its config's {@code ruleFiles}, or the shipped rules when
   * it names none. Used by {@code raftwatch check} and the collector.
   */
  public static List<RuleGroup> forCluster(ClusterConfig cluster, RuleFileLoader loader)
      throws RuleFileException {
    if (cluster.ruleFiles().isEmpty()) {
      return load(cluster, loader);
    }
    List<RuleGroup> groups = new ArrayList<>();
    for (Path f : cluster.ruleFiles()) {
      groups.addAll(loader.load(f));
    }
    return groups;
  }

  /** The shipped rules rendered and loaded for {@code cluster}. */
  public static List<RuleGroup> load(ClusterConfig cluster, RuleFileLoader loader)
      throws RuleFileException {
    return loader.parse(Path.of("bundled " + SOURCE), render(cluster));
  }

  /**
   * The text of the shipped rules rendered for {@code cluster}: what {@link #load} parses, and
   * what {@code check --prometheus} sends to Prometheus expression by expression.
   */
  public static String render(ClusterConfig cluster) {
    return render(cluster.job());
  }

  /**
   * The text of the shipped rules rendered for a cluster whose series carry {@code job}; {@code
   * raftwatch demo} writes it next to the config it generates, before the config exists.
   */
  public static String render(String job) {
    String source;
    try (InputStream in = ShippedRules.class.getResourceAsStream("/" + SOURCE)) {
      if (in == null) {
        throw new IllegalStateException(SOURCE + " is missing from the jar");
      }
      source = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new IllegalStateException("cannot read bundled " + SOURCE, e);
    }
    String selector = "job=\"" + job.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    return RuleFileRenderer.render(SOURCE, source,
        new RuleFileRenderer.Settings(MEMBER_LABELS, selector, RuleFileRenderer.DEFAULTS.runbook()));
  }
}
