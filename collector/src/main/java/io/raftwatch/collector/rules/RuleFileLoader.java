package io.raftwatch.collector.rules;

import io.raftwatch.collector.promql.Engine;
import io.raftwatch.collector.promql.Expr;
import io.raftwatch.collector.promql.PromDuration;
import io.raftwatch.collector.promql.PromqlParseException;
import io.raftwatch.collector.rules.YamlTree.ListNode;
import io.raftwatch.collector.rules.YamlTree.MapNode;
import io.raftwatch.collector.rules.YamlTree.Node;
import io.raftwatch.collector.rules.YamlTree.Scalar;
import io.raftwatch.collector.rules.template.TemplateException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads Prometheus rule files ({@code groups:} of recording and alerting rules) into {@link
 * RuleGroup}s, validating as Prometheus's {@code rulefmt} does: every expression parses, names and
 * label names are valid, templates parse, group names are unique within the file, no unknown
 * fields. Errors name the file, line, group and rule. Stateless; any thread.
 */
public final class RuleFileLoader {
  private static final Pattern METRIC_NAME = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");
  private static final Pattern LABEL_NAME = Pattern.compile("[a-zA-Z_][a-zA-Z0-9_]*");
  private static final Set<String> GROUP_FIELDS =
      Set.of("name", "interval", "limit", "query_offset", "labels", "rules");
  private static final Set<String> RULE_FIELDS =
      Set.of("record", "alert", "expr", "for", "keep_firing_for", "labels", "annotations");

  private final Duration defaultInterval;
  private final Map<String, String> externalLabels;
  private final String externalUrl;

  /**
   * @param defaultInterval the interval of groups that set none (Prometheus's global
   *     evaluation_interval)
   * @param externalLabels what {@code $externalLabels} holds in templates
   * @param externalUrl what {@code $externalURL} holds in templates
   */
  public RuleFileLoader(
      Duration defaultInterval, Map<String, String> externalLabels, String externalUrl) {
    this.defaultInterval = defaultInterval;
    this.externalLabels = Map.copyOf(externalLabels);
    this.externalUrl = externalUrl;
  }

  /** Loads {@code file}. */
  public List<RuleGroup> load(Path file) throws RuleFileException {
    String text;
    try {
      text = Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new RuleFileException(file, 0, "cannot read: " + e.getMessage());
    }
    return parse(file, text);
  }

  /** Parses rule-file {@code text}; {@code file} names it in errors. */
  public List<RuleGroup> parse(Path file, String text) throws RuleFileException {
    Node root;
    try {
      root = YamlTree.parse(text);
    } catch (YamlTree.YamlException e) {
      throw new RuleFileException(file, e.line, e.getMessage());
    }
    MapNode top = asMap(file, root, "the file");
    for (String key : top.entries().keySet()) {
      if (!key.equals("groups")) {
        throw new RuleFileException(
            file, top.keyLines().get(key), "field " + key + " not found in rule file");
      }
    }
    List<RuleGroup> groups = new ArrayList<>();
    Node groupsNode = top.entries().get("groups");
    if (groupsNode == null || (groupsNode instanceof Scalar s && s.text() == null)) {
      return groups;
    }
    if (!(groupsNode instanceof ListNode list)) {
      throw new RuleFileException(file, groupsNode.line(), "groups must be a list");
    }
    Set<String> names = new HashSet<>();
    for (Node g : list.items()) {
      RuleGroup group = group(file, asMap(file, g, "a group"));
      if (!names.add(group.name())) {
        throw new RuleFileException(
            file, g.line(), "groupname: \"" + group.name() + "\" is repeated in the same file");
      }
      groups.add(group);
    }
    return groups;
  }

  private RuleGroup group(Path file, MapNode g) throws RuleFileException {
    unknownFields(file, g, GROUP_FIELDS, "rule group");
    String name = scalar(file, g, "name", null);
    if (name == null || name.isEmpty()) {
      throw new RuleFileException(file, g.line(), "Groupname must not be empty");
    }
    String where = "group \"" + name + "\"";
    Duration interval = duration(file, g, "interval", where, defaultInterval);
    Duration offset = duration(file, g, "query_offset", where, Duration.ZERO);
    int limit = 0;
    String limitText = scalar(file, g, "limit", where);
    if (limitText != null) {
      try {
        limit = Integer.parseInt(limitText);
      } catch (NumberFormatException e) {
        throw new RuleFileException(
            file, g.entries().get("limit").line(), where + ": limit must be an integer");
      }
    }
    Map<String, String> groupLabels = stringMap(file, g, "labels", where);
    List<Rule> rules = new ArrayList<>();
    Node rulesNode = g.entries().get("rules");
    if (rulesNode instanceof ListNode list) {
      int index = 0;
      for (Node r : list.items()) {
        index++;
        rules.add(rule(file, asMap(file, r, "a rule"), name, index, groupLabels));
      }
    } else if (rulesNode != null && !(rulesNode instanceof Scalar s && s.text() == null)) {
      throw new RuleFileException(file, rulesNode.line(), where + ": rules must be a list");
    }
    return new RuleGroup(name, file, interval, limit, offset, rules);
  }

  private Rule rule(
      Path file, MapNode r, String group, int index, Map<String, String> groupLabels)
      throws RuleFileException {
    String record = scalar(file, r, "record", null);
    String alert = scalar(file, r, "alert", null);
    String ruleName = record != null ? record : alert != null ? alert : "";
    String where = "group \"" + group + "\", rule " + index + ", \"" + ruleName + "\"";
    unknownFields(file, r, RULE_FIELDS, where + ": rule");
    if (record != null && alert != null) {
      throw new RuleFileException(
          file, r.line(), where + ": only one of 'record' and 'alert' must be set");
    }
    if (record == null && alert == null) {
      throw new RuleFileException(
          file, r.line(), where + ": one of 'record' or 'alert' must be set");
    }
    String exprText = scalar(file, r, "expr", where);
    if (exprText == null || exprText.isBlank()) {
      throw new RuleFileException(file, r.line(), where + ": field 'expr' must be set in rule");
    }
    Expr expr;
    try {
      expr = Engine.parse(exprText);
    } catch (PromqlParseException e) {
      throw new RuleFileException(
          file,
          r.entries().get("expr").line(),
          where + ": could not parse expression: " + e.getMessage());
    }
    Map<String, String> labels = new LinkedHashMap<>(groupLabels);
    labels.putAll(stringMap(file, r, "labels", where));
    for (String l : labels.keySet()) {
      if (!LABEL_NAME.matcher(l).matches()) {
        throw new RuleFileException(file, lineOf(r, "labels"), where + ": invalid label name: " + l);
      }
    }
    Map<String, String> annotations = stringMap(file, r, "annotations", where);
    for (String a : annotations.keySet()) {
      if (!LABEL_NAME.matcher(a).matches()) {
        throw new RuleFileException(
            file, lineOf(r, "annotations"), where + ": invalid annotation name: " + a);
      }
    }
    if (record != null) {
      for (String field : List.of("annotations", "for", "keep_firing_for")) {
        if (r.entries().containsKey(field)) {
          throw new RuleFileException(
              file, lineOf(r, field), where + ": invalid field '" + field + "' in recording rule");
        }
      }
      if (!METRIC_NAME.matcher(record).matches()) {
        throw new RuleFileException(file, lineOf(r, "record"), where + ": invalid recording rule name: " + record);
      }
      return new RecordingRule(record, expr, labels);
    }
    if (alert.isEmpty()) {
      throw new RuleFileException(file, lineOf(r, "alert"), where + ": invalid alert name: ");
    }
    Duration hold = duration(file, r, "for", where, Duration.ZERO);
    Duration keep = duration(file, r, "keep_firing_for", where, Duration.ZERO);
    try {
      return new AlertingRule(
          alert, expr, hold, keep, labels, annotations, externalLabels, externalUrl);
    } catch (TemplateException e) {
      throw new RuleFileException(file, r.line(), where + ": " + e.getMessage());
    }
  }

  private static int lineOf(MapNode m, String key) {
    Integer line = m.keyLines().get(key);
    return line == null ? m.line() : line;
  }

  private static void unknownFields(Path file, MapNode m, Set<String> known, String what)
      throws RuleFileException {
    for (String key : m.entries().keySet()) {
      if (!known.contains(key)) {
        throw new RuleFileException(
            file, m.keyLines().get(key), what + ": field " + key + " not found");
      }
    }
  }

  private static MapNode asMap(Path file, Node n, String what) throws RuleFileException {
    if (n instanceof MapNode m) {
      return m;
    }
    throw new RuleFileException(file, n.line(), what + " must be a mapping");
  }

  private static String scalar(Path file, MapNode m, String key, String where)
      throws RuleFileException {
    Node n = m.entries().get(key);
    if (n == null) {
      return null;
    }
    if (n instanceof Scalar s) {
      return s.text();
    }
    throw new RuleFileException(
        file, n.line(), (where == null ? "" : where + ": ") + key + " must be a single value");
  }

  private static Duration duration(
      Path file, MapNode m, String key, String where, Duration dflt) throws RuleFileException {
    String text = scalar(file, m, key, where);
    if (text == null) {
      return dflt;
    }
    try {
      return Duration.ofMillis(PromDuration.parseMillis(text));
    } catch (RuntimeException e) {
      throw new RuleFileException(
          file, lineOf(m, key), where + ": " + key + ": not a valid duration string: \"" + text + "\"");
    }
  }

  private static Map<String, String> stringMap(Path file, MapNode m, String key, String where)
      throws RuleFileException {
    Node n = m.entries().get(key);
    Map<String, String> out = new LinkedHashMap<>();
    if (n == null || (n instanceof Scalar s && s.text() == null)) {
      return out;
    }
    if (!(n instanceof MapNode map)) {
      throw new RuleFileException(file, n.line(), where + ": " + key + " must be a mapping");
    }
    for (Map.Entry<String, Node> e : map.entries().entrySet()) {
      if (!(e.getValue() instanceof Scalar s)) {
        throw new RuleFileException(
            file, e.getValue().line(), where + ": " + key + "." + e.getKey() + " must be a string");
      }
      out.put(e.getKey(), s.text() == null ? "" : s.text());
    }
    return out;
  }
}
