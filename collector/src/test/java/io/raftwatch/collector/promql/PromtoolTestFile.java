package io.raftwatch.collector.promql;

import io.raftwatch.collector.promql.PromqlScript.Eval;
import io.raftwatch.collector.promql.PromqlScript.EvalKind;
import io.raftwatch.collector.promql.PromqlScript.Expected;
import io.raftwatch.collector.promql.PromqlScript.Load;
import io.raftwatch.collector.promql.PromqlScript.SeriesSpec;
import io.raftwatch.collector.tsdb.Labels;
import java.util.ArrayList;
import java.util.List;

/**
 * Converts a promqltest script into a promtool rule-unit-test file ({@code promtool test rules}):
 * each run of loads becomes a test group with its {@code input_series} (same expanding notation)
 * and each {@code eval} a {@code promql_expr_test} with {@code eval_time} and {@code exp_samples}.
 *
 * <p>promtool 2.42 compares values with {@code ==}, so NaN never equals NaN; an eval expecting NaN
 * is checked as two tests instead: {@code (E) != bool (E)} (1 exactly where E is NaN, labels
 * without the metric name) and {@code (E) == (E)} (the non-NaN elements, unchanged). promtool sorts
 * results, so {@code eval_ordered} order is not checked there; {@code eval_fail} has no promtool
 * equivalent and is counted in {@link #skipped}.
 */
final class PromtoolTestFile {
  /** The evals that must pass. */
  final String yaml;

  /** The {@code eval_fail} commands, each as a test promtool must fail with an error. */
  final String failYaml;

  /** The {@code eval_fail} commands in the order promtool reports them. */
  final List<Eval> failEvals;

  final int checked;

  private PromtoolTestFile(String yaml, String failYaml, List<Eval> failEvals, int checked) {
    this.yaml = yaml;
    this.failYaml = failYaml;
    this.failEvals = failEvals;
    this.checked = checked;
  }

  static PromtoolTestFile convert(PromqlScript script) {
    String header =
        "# Generated from "
            + script.file().getFileName()
            + " by PromtoolTestFile.\n"
            + "rule_files: []\nevaluation_interval: 1m\ntests:\n";
    StringBuilder y = new StringBuilder(header);
    StringBuilder failY = new StringBuilder(header);
    List<SeriesSpec> series = new ArrayList<>();
    long step = -1;
    List<String> evals = new ArrayList<>();
    List<String> fails = new ArrayList<>();
    List<Eval> failEvals = new ArrayList<>();
    int checked = 0;
    for (PromqlScript.Command c : script.commands()) {
      if (c instanceof PromqlScript.Clear) {
        flush(y, step, series, evals);
        flush(failY, step, series, fails);
        series.clear();
        step = -1;
      } else if (c instanceof Load load) {
        flush(y, step, series, evals);
        flush(failY, step, series, fails);
        if (step >= 0 && step != load.stepMillis()) {
          throw new IllegalArgumentException(
              script.file()
                  + ":"
                  + load.line()
                  + ": promtool needs one interval per test group; clear before a load with another"
                  + " step");
        }
        step = load.stepMillis();
        series.addAll(load.series());
      } else if (c instanceof Eval eval) {
        if (eval.kind() == EvalKind.FAIL) {
          failEvals.add(eval);
          fails.add(exprTest(eval.expr(), PromDuration.format(eval.timeMillis()), List.of()));
          continue;
        }
        checked++;
        addEval(evals, eval);
      }
    }
    flush(y, step, series, evals);
    flush(failY, step, series, fails);
    return new PromtoolTestFile(y.toString(), failY.toString(), failEvals, checked);
  }

  private static void addEval(List<String> evals, Eval eval) {
    boolean hasNaN = eval.expected().stream().anyMatch(e -> Double.isNaN(e.value()));
    String time = PromDuration.format(eval.timeMillis());
    if (!hasNaN) {
      evals.add(exprTest(eval.expr(), time, eval.expected()));
      return;
    }
    String e = "(" + eval.expr() + ")";
    List<Expected> isNaN = new ArrayList<>();
    List<Expected> notNaN = new ArrayList<>();
    boolean scalar = false;
    for (Expected x : eval.expected()) {
      scalar |= x.labels() == null;
      Labels l = x.labels() == null ? null : x.labels().withoutName();
      isNaN.add(new Expected(l, l == null ? null : l.toString(), Double.isNaN(x.value()) ? 1 : 0));
      if (!Double.isNaN(x.value())) {
        notNaN.add(x);
      }
    }
    evals.add(exprTest(e + " != bool " + e, time, isNaN));
    if (!scalar) {
      evals.add(exprTest(e + " == " + e, time, notNaN));
    }
  }

  private static String exprTest(String expr, String time, List<Expected> expected) {
    StringBuilder y = new StringBuilder();
    y.append("      - expr: ").append(quote(expr)).append('\n');
    y.append("        eval_time: ").append(time).append('\n');
    if (expected.isEmpty()) {
      y.append("        exp_samples: []\n");
      return y.toString();
    }
    y.append("        exp_samples:\n");
    for (Expected x : expected) {
      String labels =
          x.labels() == null
              ? "{}"
              : x.labelsText() != null ? x.labelsText() : x.labels().toString();
      y.append("          - labels: ").append(quote(labels)).append('\n');
      y.append("            value: ").append(yamlFloat(x.value())).append('\n');
    }
    return y.toString();
  }

  private static void flush(
      StringBuilder y, long step, List<SeriesSpec> series, List<String> evals) {
    if (evals.isEmpty()) {
      return;
    }
    y.append("  - interval: ").append(PromDuration.format(step < 0 ? 60_000 : step)).append('\n');
    y.append("    input_series:").append(series.isEmpty() ? " []\n" : "\n");
    for (SeriesSpec s : series) {
      y.append("      - series: ").append(quote(s.labelsText())).append('\n');
      y.append("        values: ").append(quote(s.valuesText())).append('\n');
    }
    y.append("    promql_expr_test:\n");
    evals.forEach(y::append);
    evals.clear();
  }

  private static String quote(String s) {
    return "'" + s.replace("'", "''") + "'";
  }

  private static String yamlFloat(double v) {
    if (Double.isInfinite(v)) {
      return v > 0 ? ".inf" : "-.inf";
    }
    return Double.toString(v);
  }
}
