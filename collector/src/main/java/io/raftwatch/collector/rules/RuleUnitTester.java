package io.raftwatch.collector.rules;

import io.raftwatch.collector.promql.StringLiterals;

import io.raftwatch.collector.promql.Engine;
import io.raftwatch.collector.promql.EngineOptions;
import io.raftwatch.collector.promql.Expr;
import io.raftwatch.collector.promql.PromDuration;
import io.raftwatch.collector.promql.Value.Sample;
import io.raftwatch.collector.rules.YamlTree.ListNode;
import io.raftwatch.collector.rules.YamlTree.MapNode;
import io.raftwatch.collector.rules.YamlTree.Node;
import io.raftwatch.collector.rules.YamlTree.Scalar;
import io.raftwatch.collector.tsdb.LabelMatcher;
import io.raftwatch.collector.tsdb.Labels;
import io.raftwatch.collector.tsdb.SampleBatch;
import io.raftwatch.collector.tsdb.SeriesLimitExceededException;
import io.raftwatch.collector.tsdb.SeriesStore;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Runs promtool's rule unit-test files ({@code rule_files}, {@code evaluation_interval}, {@code
 * group_eval_order}, {@code tests} with {@code input_series}, {@code alert_rule_test} and {@code
 * promql_expr_test}) with raftwatch's engine on a fresh in-memory store per test group, and reports
 * as {@code promtool test rules} does, in its words. Used by {@code raftwatch rules test}; one
 * thread.
 */
public final class RuleUnitTester {
  /** Exit status when every test passed. */
  public static final int PASSED = 0;

  /** Exit status when a test failed. */
  public static final int FAILED = 1;

  /** Exit status when a file could not be read or is not valid. */
  public static final int FILE_ERROR = 2;

  private final PrintWriter out;
  private final PrintWriter err;

  public RuleUnitTester(PrintWriter out, PrintWriter err) {
    this.out = out;
    this.err = err;
  }

  /** A test file that cannot be used; the message names the file and line. */
  static final class TestFileException extends Exception {
    TestFileException(Path file, int line, String message) {
      super(file + (line > 0 ? ":" + line : "") + ": " + message);
    }
  }

  /** Runs every file and returns {@link #PASSED}, {@link #FAILED} or {@link #FILE_ERROR}. */
  public int run(List<Path> files) {
    int status = PASSED;
    for (Path f : files) {
      out.println("Unit Testing:  " + f);
      List<String> errors;
      int fileStatus;
      try {
        errors = runFile(f);
        fileStatus = errors.isEmpty() ? PASSED : FAILED;
      } catch (TestFileException | RuleFileException e) {
        errors = List.of(e.getMessage());
        fileStatus = FILE_ERROR;
      }
      if (errors.isEmpty()) {
        out.println("  SUCCESS");
      } else {
        err.println("  FAILED:");
        for (String e : errors) {
          err.println(e);
          out.println();
        }
      }
      out.println();
      out.flush();
      err.flush();
      status = Math.max(status, fileStatus);
    }
    return status;
  }

  /** The failures of one file's tests, in promtool's wording; empty when all pass. */
  List<String> runFile(Path file) throws TestFileException, RuleFileException {
    Node root;
    try {
      root = YamlTree.parse(Files.readString(file, StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new TestFileException(file, 0, "cannot read: " + e.getMessage());
    } catch (YamlTree.YamlException e) {
      throw new TestFileException(file, e.line, e.getMessage());
    }
    MapNode top = map(file, root);
    Duration evalInterval = duration(file, top, "evaluation_interval", Duration.ofMinutes(1));
    List<Path> ruleFiles = new ArrayList<>();
    for (Node n : list(file, top, "rule_files")) {
      ruleFiles.add(file.toAbsolutePath().getParent().resolve(text(file, n)));
    }
    List<String> order = new ArrayList<>();
    for (Node n : list(file, top, "group_eval_order")) {
      order.add(text(file, n));
    }
    List<String> errors = new ArrayList<>();
    for (Node t : list(file, top, "tests")) {
      errors.addAll(runGroup(file, map(file, t), ruleFiles, order, evalInterval));
    }
    return errors;
  }

  private List<String> runGroup(
      Path file, MapNode test, List<Path> ruleFiles, List<String> order, Duration evalInterval)
      throws TestFileException, RuleFileException {
    Duration interval = duration(file, test, "interval", evalInterval);
    Map<String, String> externalLabels = stringMap(file, test, "external_labels");
    String externalUrl = scalarOr(file, test, "external_url", "");
    String testName = scalarOr(file, test, "name", "");
    String namePrefix = testName.isEmpty() ? "" : "    name: " + testName + ",\n";

    SeriesStore store = new SeriesStore(Integer.MAX_VALUE, Duration.ofDays(3650));
    loadSeries(file, test, interval, store);

    RuleFileLoader loader = new RuleFileLoader(evalInterval, externalLabels, externalUrl);
    List<RuleGroup> groups = new ArrayList<>();
    for (Path rf : ruleFiles) {
      groups.addAll(loader.load(rf));
    }
    groups = ordered(groups, order);

    // Alert tests by evaluation time (ms), in file order within a time.
    TreeMap<Long, List<AlertTest>> alertTests = new TreeMap<>();
    for (Node n : list(file, test, "alert_rule_test")) {
      AlertTest at = alertTest(file, map(file, n));
      alertTests.computeIfAbsent(at.evalTime, k -> new ArrayList<>()).add(at);
    }
    List<MapNode> exprTests = new ArrayList<>();
    long maxt = alertTests.isEmpty() ? 0 : alertTests.lastKey();
    for (Node n : list(file, test, "promql_expr_test")) {
      MapNode m = map(file, n);
      exprTests.add(m);
      maxt = Math.max(maxt, duration(file, m, "eval_time", Duration.ZERO).toMillis());
    }

    Engine engine =
        new Engine(store, EngineOptions.defaults().withEvaluationInterval(evalInterval));
    QueryFunction query = QueryFunction.of(engine);
    SampleSink sink = batch -> store.append("rules", batch);
    List<String> errors = new ArrayList<>();
    long step = evalInterval.toMillis();
    for (long ts = 0; ts <= maxt; ts += step) {
      List<String> evalErrors = new ArrayList<>();
      for (RuleGroup g : groups) {
        g.eval(Instant.ofEpochMilli(ts), query, sink);
        for (Rule r : g.rules()) {
          long at = ts;
          g.lastError(r)
              .ifPresent(
                  e ->
                      evalErrors.add(
                          "    rule: " + r.name() + ", time: " + PromDuration.format(at)
                              + ", err: " + e.getMessage()));
        }
      }
      if (!evalErrors.isEmpty()) {
        return evalErrors;
      }
      // An alert test at eval_time is checked against the evaluation at ts when
      // ts <= eval_time < ts + interval.
      for (List<AlertTest> due : alertTests.subMap(ts, true, ts + step, false).values()) {
        for (AlertTest at : due) {
          List<AlertEntry> got = new ArrayList<>();
          for (RuleGroup g : groups) {
            for (Rule r : g.rules()) {
              if (r instanceof AlertingRule ar && ar.name().equals(at.alertname)) {
                for (Alert a : ar.activeAlerts()) {
                  if (a.state() == AlertState.FIRING) {
                    got.add(new AlertEntry(a.labels(), a.annotations()));
                  }
                }
              }
            }
          }
          got.sort(AlertEntry.ORDER);
          List<AlertEntry> exp = new ArrayList<>(at.expected);
          exp.sort(AlertEntry.ORDER);
          if (!got.equals(exp)) {
            errors.add(
                namePrefix + "    alertname: " + at.alertname + ", time: "
                    + PromDuration.format(at.evalTime) + ", \n        exp:"
                    + indent(AlertEntry.describe(exp), "            ") + ", \n        got:"
                    + indent(AlertEntry.describe(got), "            "));
          }
        }
      }
    }
    for (MapNode m : exprTests) {
      // NB: promtool 2.42 names the test group only in alert failures, not in these.
      errors.addAll(exprTest(file, m, engine));
    }
    return errors;
  }

  private List<String> exprTest(Path file, MapNode m, Engine engine)
      throws TestFileException {
    String expr = scalarOr(file, m, "expr", "");
    long evalTime = duration(file, m, "eval_time", Duration.ZERO).toMillis();
    String head =
        "    expr: " + StringLiterals.quote(expr) + ", time: " + PromDuration.format(evalTime);
    List<Sample> got;
    try {
      Expr parsed = Engine.parse(expr);
      got = QueryFunction.of(engine).query(parsed, Instant.ofEpochMilli(evalTime));
    } catch (RuntimeException e) {
      return List.of(head + ", err: " + e.getMessage());
    }
    List<Sample> exp = new ArrayList<>();
    for (Node n : list(file, m, "exp_samples")) {
      MapNode s = map(file, n);
      String labels = scalarOr(file, s, "labels", "{}");
      Labels l;
      try {
        l = metric(labels);
      } catch (RuntimeException e) {
        return List.of(head + ", err: labels " + StringLiterals.quote(labels) + ": " + e.getMessage());
      }
      String value = scalarOr(file, s, "value", "0");
      exp.add(new Sample(l, evalTime, parseValue(file, s, value)));
    }
    Comparator<Sample> byLabels = Comparator.comparing(Sample::labels, RuleUnitTester::compareGo);
    List<Sample> gotSorted = new ArrayList<>(got);
    gotSorted.sort(byLabels);
    exp.sort(byLabels);
    if (!sameSamples(exp, gotSorted)) {
      return List.of(
          head + ",\n        exp: " + samplesString(exp) + "\n        got: "
              + samplesString(gotSorted));
    }
    return List.of();
  }

  private static boolean sameSamples(List<Sample> a, List<Sample> b) {
    if (a.size() != b.size()) {
      return false;
    }
    for (int i = 0; i < a.size(); i++) {
      // Go's reflect.DeepEqual: NaN equals nothing, not even NaN.
      if (!a.get(i).labels().equals(b.get(i).labels())
          || !(a.get(i).value() == b.get(i).value())) {
        return false;
      }
    }
    return true;
  }

  private static String samplesString(List<Sample> samples) {
    if (samples.isEmpty()) {
      return "nil";
    }
    List<String> parts = new ArrayList<>();
    for (Sample s : samples) {
      parts.add(goLabels(s.labels()) + " " + goFloatE(s.value()));
    }
    return String.join(", ", parts);
  }

  /** Go's {@code strconv.FormatFloat(v, 'E', -1, 64)}. */
  static String goFloatE(double v) {
    if (Double.isNaN(v)) {
      return "NaN";
    }
    if (Double.isInfinite(v)) {
      return v > 0 ? "+Inf" : "-Inf";
    }
    if (v == 0) {
      return (Double.doubleToRawLongBits(v) < 0 ? "-" : "") + "0E+00";
    }
    java.math.BigDecimal d = new java.math.BigDecimal(Double.toString(Math.abs(v))).stripTrailingZeros();
    String digits = d.unscaledValue().toString();
    int exp = digits.length() - 1 - d.scale();
    String m = digits.length() > 1 ? digits.charAt(0) + "." + digits.substring(1) : digits;
    return (v < 0 ? "-" : "") + m + "E" + (exp < 0 ? "-" : "+")
        + (Math.abs(exp) < 10 ? "0" : "") + Math.abs(exp);
  }

  /** Go's {@code labels.Labels.String()}: every label, {@code __name__} too, in braces. */
  static String goLabels(Labels l) {
    StringBuilder sb = new StringBuilder("{");
    for (int i = 0; i < l.size(); i++) {
      sb.append(i == 0 ? "" : ", ").append(l.nameAt(i)).append('=').append(StringLiterals.quote(l.valueAt(i)));
    }
    return sb.append('}').toString();
  }

  /** Go's {@code labels.Compare}: label by label, name then value, shorter first. */
  static int compareGo(Labels a, Labels b) {
    int n = Math.min(a.size(), b.size());
    for (int i = 0; i < n; i++) {
      int c = a.nameAt(i).compareTo(b.nameAt(i));
      if (c != 0) {
        return c;
      }
      c = a.valueAt(i).compareTo(b.valueAt(i));
      if (c != 0) {
        return c;
      }
    }
    return Integer.compare(a.size(), b.size());
  }

  /** promtool's indentLines: every line but the first gets {@code indent}. */
  private static String indent(String lines, String indent) {
    String[] split = lines.split("\n", -1);
    StringBuilder sb = new StringBuilder(split[0]);
    for (int i = 1; i < split.length; i++) {
      sb.append('\n').append(indent).append(split[i]);
    }
    return sb.toString();
  }

  /** An alert as promtool compares it: labels and annotations. */
  private record AlertEntry(Labels labels, Labels annotations) {
    static final Comparator<AlertEntry> ORDER =
        (x, y) -> {
          int c = compareGo(x.labels, y.labels);
          return c != 0 ? c : compareGo(x.annotations, y.annotations);
        };

    static String describe(List<AlertEntry> list) {
      if (list.isEmpty()) {
        return "[]";
      }
      StringBuilder sb = new StringBuilder("[\n");
      for (int i = 0; i < list.size(); i++) {
        AlertEntry e = list.get(i);
        sb.append(i == 0 ? "" : ",\n")
            .append(i)
            .append(':')
            .append(
                indent(
                    "\nLabels:" + goLabels(e.labels) + "\nAnnotations:" + goLabels(e.annotations),
                    "  "));
      }
      return sb.append("\n]").toString();
    }
  }

  private record AlertTest(long evalTime, String alertname, List<AlertEntry> expected) {}

  private AlertTest alertTest(Path file, MapNode m) throws TestFileException {
    long evalTime = duration(file, m, "eval_time", Duration.ZERO).toMillis();
    String alertname = scalarOr(file, m, "alertname", "");
    List<AlertEntry> expected = new ArrayList<>();
    for (Node n : list(file, m, "exp_alerts")) {
      MapNode a = map(file, n);
      Labels.Builder lb = Labels.builder();
      stringMap(file, a, "exp_labels").forEach(lb::set);
      lb.set("alertname", alertname);
      Labels.Builder ab = Labels.builder();
      stringMap(file, a, "exp_annotations").forEach(ab::set);
      expected.add(new AlertEntry(lb.build(), ab.build()));
    }
    return new AlertTest(evalTime, alertname, expected);
  }

  private void loadSeries(Path file, MapNode test, Duration interval, SeriesStore store)
      throws TestFileException {
    SampleBatch batch = new SampleBatch();
    for (Node n : list(file, test, "input_series")) {
      MapNode s = map(file, n);
      String series = scalarOr(file, s, "series", "");
      Labels labels;
      try {
        labels = metric(series);
      } catch (RuntimeException e) {
        throw new TestFileException(
            file, s.line(), "series " + StringLiterals.quote(series) + ": " + e.getMessage());
      }
      List<Double> values;
      try {
        values = SeriesValues.parse(scalarOr(file, s, "values", ""));
      } catch (IllegalArgumentException e) {
        throw new TestFileException(file, s.line(), e.getMessage());
      }
      for (int i = 0; i < values.size(); i++) {
        if (values.get(i) != null) {
          batch.add(labels, i * interval.toMillis(), values.get(i));
        }
      }
    }
    try {
      store.append("input", batch);
    } catch (SeriesLimitExceededException e) {
      throw new TestFileException(file, test.line(), e.getMessage());
    }
  }

  /** A series written as a selector with only {@code =} matchers: {@code up{job="etcd"}}. */
  static Labels metric(String text) {
    if (text.strip().equals("{}")) {
      return Labels.EMPTY;
    }
    Expr e = Engine.parse(text);
    if (!(e instanceof Expr.VectorSelector vs) || vs.offsetMillis() != 0 || vs.at() != null) {
      throw new IllegalArgumentException("not a series: " + text);
    }
    Labels.Builder b = Labels.builder();
    for (LabelMatcher m : vs.matchers()) {
      if (m.type() != LabelMatcher.Type.EQ) {
        throw new IllegalArgumentException("only = matchers may describe a series: " + m);
      }
      b.set(m.name(), m.value());
    }
    return b.build();
  }

  private static List<RuleGroup> ordered(List<RuleGroup> groups, List<String> order) {
    List<RuleGroup> out = new ArrayList<>();
    if (order.isEmpty()) {
      out.addAll(groups);
      out.sort(Comparator.comparing(RuleGroup::name));
      return out;
    }
    Map<String, RuleGroup> byName = new LinkedHashMap<>();
    groups.forEach(g -> byName.put(g.name(), g));
    for (String name : order) {
      RuleGroup g = byName.remove(name);
      if (g != null) {
        out.add(g);
      }
    }
    out.addAll(byName.values());
    return out;
  }

  // --- YAML access with errors that name the file and line ---

  private static MapNode map(Path file, Node n) throws TestFileException {
    if (n instanceof MapNode m) {
      return m;
    }
    throw new TestFileException(file, n.line(), "expected a mapping");
  }

  private static List<Node> list(Path file, MapNode m, String key) throws TestFileException {
    Node n = m.entries().get(key);
    if (n == null || (n instanceof Scalar s && s.text() == null)) {
      return List.of();
    }
    if (n instanceof ListNode l) {
      return l.items();
    }
    throw new TestFileException(file, n.line(), key + " must be a list");
  }

  private static String text(Path file, Node n) throws TestFileException {
    if (n instanceof Scalar s && s.text() != null) {
      return s.text();
    }
    throw new TestFileException(file, n.line(), "expected a single value");
  }

  private static String scalarOr(Path file, MapNode m, String key, String dflt)
      throws TestFileException {
    Node n = m.entries().get(key);
    if (n == null || (n instanceof Scalar s && s.text() == null)) {
      return dflt;
    }
    return text(file, n);
  }

  private static Duration duration(Path file, MapNode m, String key, Duration dflt)
      throws TestFileException {
    String t = scalarOr(file, m, key, null);
    if (t == null) {
      return dflt;
    }
    try {
      return Duration.ofMillis(PromDuration.parseMillis(t));
    } catch (RuntimeException e) {
      throw new TestFileException(
          file, m.entries().get(key).line(), key + ": not a valid duration string: \"" + t + "\"");
    }
  }

  private static double parseValue(Path file, MapNode m, String text) throws TestFileException {
    try {
      List<Double> v = SeriesValues.parse(text);
      if (v.size() == 1 && v.get(0) != null) {
        return v.get(0);
      }
    } catch (IllegalArgumentException e) {
      // reported below
    }
    throw new TestFileException(file, m.line(), "value: not a number: \"" + text + "\"");
  }

  private static Map<String, String> stringMap(Path file, MapNode m, String key)
      throws TestFileException {
    Map<String, String> out = new LinkedHashMap<>();
    Node n = m.entries().get(key);
    if (n == null || (n instanceof Scalar s && s.text() == null)) {
      return out;
    }
    if (!(n instanceof MapNode map)) {
      throw new TestFileException(file, n.line(), key + " must be a mapping");
    }
    for (Map.Entry<String, Node> e : map.entries().entrySet()) {
      out.put(e.getKey(), text(file, e.getValue()));
    }
    return out;
  }
}
