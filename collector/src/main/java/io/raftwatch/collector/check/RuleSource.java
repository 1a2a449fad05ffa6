package io.raftwatch.collector.check;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.raftwatch.collector.config.ClusterConfig;
import io.raftwatch.collector.rules.RuleFileException;
import io.raftwatch.collector.rules.RuleFileLoader;
import io.raftwatch.collector.rules.RuleGroup;
import io.raftwatch.collector.rules.ShippedRules;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One rule file's text and where it came from: the rules a check or report of a cluster uses are
 * the {@code --rules} files, else the cluster's {@code ruleFiles}, else the shipped etcd rules
 * rendered for it ({@link ShippedRules}). Besides loading the groups, it gives each rule's source
 * text — the expression that {@code check --prometheus} sends to Prometheus, the annotations a
 * report shows for alerts no longer active. Immutable; any thread.
 *
 * @param file the file, or "bundled alert-rules/src/etcd.rules.yaml.ftl"
 * @param text its YAML
 */
public record RuleSource(Path file, String text) {
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  /** A rule as written: its group, name, expression and annotations, unexpanded. */
  public record RuleText(String group, String name, boolean alerting, String expr,
      Map<String, String> annotations) {}

  /**
   * The rule files of {@code cluster}: {@code override} when not empty, else its {@code
   * ruleFiles}, else the shipped rules.
   *
   * @throws RuleFileException when a file cannot be read
   */
  public static List<RuleSource> of(ClusterConfig cluster, List<Path> override)
      throws RuleFileException {
    List<Path> files = !override.isEmpty() ? override : cluster.ruleFiles();
    if (files.isEmpty()) {
      return List.of(new RuleSource(Path.of("bundled " + ShippedRules.SOURCE),
          ShippedRules.render(cluster)));
    }
    List<RuleSource> out = new ArrayList<>();
    for (Path f : files) {
      try {
        out.add(new RuleSource(f, Files.readString(f, StandardCharsets.UTF_8)));
      } catch (IOException e) {
        throw new RuleFileException(f, 0, "cannot read: " + e.getMessage());
      }
    }
    return out;
  }

  /** The groups of this file, as {@code loader} validates and builds them. */
  public List<RuleGroup> load(RuleFileLoader loader) throws RuleFileException {
    return loader.parse(file, text);
  }

  /**
   * Every rule's text, in file order (the order of {@link #load}'s groups and rules). Call after
   * {@link #load} succeeded: the text is then valid.
   */
  public List<RuleText> rules() {
    List<RuleText> out = new ArrayList<>();
    JsonNode root;
    try {
      root = YAML.readTree(text);
    } catch (IOException e) {
      throw new IllegalStateException(file + " parsed as rules but not as YAML: " + e.getMessage(), e);
    }
    for (JsonNode g : root == null ? YAML.createArrayNode() : root.path("groups")) {
      for (JsonNode r : g.path("rules")) {
        boolean alerting = r.has("alert");
        Map<String, String> annotations = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = r.path("annotations").fields(); it.hasNext(); ) {
          Map.Entry<String, JsonNode> e = it.next();
          annotations.put(e.getKey(), e.getValue().asText());
        }
        out.add(new RuleText(g.path("name").asText(), r.path(alerting ? "alert" : "record").asText(),
            alerting, r.path("expr").asText(), annotations));
      }
    }
    return out;
  }

  /**
   * The annotations without templates ({@code summary}, {@code runbook_url} in the shipped rules)
   * of each alert in {@code sources}, by alert name; the first rule of a name wins.
   */
  public static Map<String, Map<String, String>> staticAnnotations(List<RuleSource> sources) {
    Map<String, Map<String, String>> out = new LinkedHashMap<>();
    for (RuleSource s : sources) {
      for (RuleText r : s.rules()) {
        if (r.alerting() && !out.containsKey(r.name())) {
          Map<String, String> plain = new LinkedHashMap<>();
          r.annotations().forEach((k, v) -> {
            if (!v.contains("{{")) {
              plain.put(k, v);
            }
          });
          out.put(r.name(), plain);
        }
      }
    }
    return out;
  }
}
