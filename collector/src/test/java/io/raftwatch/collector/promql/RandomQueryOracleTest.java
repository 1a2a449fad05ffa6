package io.raftwatch.collector.promql;

import io.raftwatch.collector.promql.PromqlScript.Eval;
import io.raftwatch.collector.promql.PromqlScript.EvalKind;
import io.raftwatch.collector.promql.PromqlScript.Expected;
import io.raftwatch.collector.promql.PromqlScript.Load;
import io.raftwatch.collector.promql.Value.Sample;
import io.raftwatch.collector.tsdb.SeriesStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Differential test against real Prometheus: generates random well-typed PromQL expressions from a
 * fixed seed, evaluates each with our {@link Engine}, writes our answers (values or error messages)
 * as a promqltest script, and has promtool 2.42 check them ({@link PromtoolOracleTest#verify}).
 * promtool feeds series to aggregations in a random order, so the order-sensitive aggregations only
 * get one-element groups, and sums at most two elements (which commute exactly). A failure names
 * the seed; {@code -Draftwatch.promql.seed=N} and {@code -Draftwatch.promql.queries=N} run others.
 */
class RandomQueryOracleTest {
  private static final long SEED = Long.getLong("raftwatch.promql.seed", 20261124L);
  private static final int QUERIES = Integer.getInteger("raftwatch.promql.queries", 300);
  private static final String DATA =
      """
      load 30s
        req{i="1", j="x"} 0+7x20 3+5x20
        req{i="2", j="y"} 1+2x40
        lat{i="1", j="x"} 0.5 1.25 -3 NaN 4 _ 2.5+0.25x30
        lat{i="2", j="y"} 10-0.5x40
        bkt{i="1", le="0.5"} 0+1x40
        bkt{i="1", le="1"} 0+3x40
        bkt{i="1", le="+Inf"} 0+4x40
        up{i="1"} 1+0x20 stale
        up{i="2"} 1+0x10 0+0x30
      """;

  private static final Pattern DUPLICATE =
      Pattern.compile(
          "(found duplicate series for the match group .* hand-side of the operation:"
              + " )(\\[.*\\])(;.*)");

  @TempDir Path tmp;
  private final SplittableRandom random = new SplittableRandom(SEED);

  @Test
  void promtoolAgreesWithOurAnswersToRandomQueries() throws Exception {
    Path promtool = PromtoolOracleTest.requirePromtool();
    Path dataFile = tmp.resolve("data.test");
    Files.writeString(dataFile, DATA);
    Load load = (Load) PromqlScript.read(dataFile).commands().get(0);
    SeriesStore store = PromqlConformanceTest.newStore();
    PromqlConformanceTest.load(store, load);
    Engine engine = new Engine(store);

    List<PromqlScript.Command> commands = new ArrayList<>();
    commands.add(load);
    for (int n = 0; n < QUERIES; n++) {
      String expr = vector(3);
      long t = 30_000L * random.nextInt(41);
      commands.add(evalOf(engine, expr, t, n + 1));
    }
    Path script = tmp.resolve("random-seed-" + SEED + ".test");
    PromtoolOracleTest.verify(promtool, new PromqlScript(script, commands), tmp);
  }

  private static Eval evalOf(Engine engine, String expr, long t, int line) {
    try {
      Value v = engine.instantQuery(expr, Instant.ofEpochMilli(t));
      List<Expected> expected = new ArrayList<>();
      if (v instanceof Value.Scalar s) {
        expected.add(new Expected(null, null, s.value()));
      } else {
        for (Sample s : ((Value.Vector) v).samples()) {
          expected.add(new Expected(s.labels(), s.labels().toString(), s.value()));
        }
      }
      return new Eval(line, EvalKind.UNORDERED, t, expr, expected, null, null);
    } catch (PromqlEvalException | PromqlParseException e) {
      Matcher dup = DUPLICATE.matcher(e.getMessage());
      if (dup.matches()) {
        // Which two series are named, and in which order, depends on promtool's random series
        // order; the rest of the message must match.
        Pattern either =
            Pattern.compile(Pattern.quote(dup.group(1)) + "\\[.*\\]" + Pattern.quote(dup.group(3)));
        return new Eval(line, EvalKind.FAIL, t, expr, List.of(), null, either);
      }
      return new Eval(line, EvalKind.FAIL, t, expr, List.of(), e.getMessage(), null);
    }
  }

  // ---- A small generator of well-typed expressions.

  private String vector(int depth) {
    int choice = depth <= 0 ? random.nextInt(2) : random.nextInt(20);
    return switch (choice) {
      case 0 -> selector();
      case 1 ->
          rangeFunction()
              + "("
              + pick("req", "lat", "up", "req{i=\"1\"}")
              + "["
              + pick("1m", "2m", "5m", "90s")
              + "]"
              + pick("", "", " offset 1m", " @ 300")
              + ")";
      case 2 ->
          pick(
                  "abs", "ceil", "floor", "sqrt", "ln", "log2", "sgn", "-", "sin", "cos", "tan",
                  "sinh", "cosh", "tanh", "asinh", "deg", "rad", "exp")
              + "("
              + vector(depth - 1)
              + ")";
      case 3 -> aggregation(depth);
      case 4 -> "(" + vector(depth - 1) + " " + arithmetic() + " " + scalar(depth - 1) + ")";
      case 5 ->
          "("
              + scalar(depth - 1)
              + " "
              + comparison()
              + maybeBool()
              + " "
              + vector(depth - 1)
              + ")";
      case 6 ->
          "("
              + vector(depth - 1)
              + " "
              + arithmeticOrComparison()
              + matching()
              + " "
              + vector(depth - 1)
              + ")";
      case 7 ->
          "("
              + vector(depth - 1)
              + " "
              + pick("and", "or", "unless")
              + pick("", " on(i)", " ignoring(j)")
              + " "
              + vector(depth - 1)
              + ")";
      case 8 -> "clamp(" + vector(depth - 1) + ", " + scalar(0) + ", " + scalar(0) + ")";
      case 9 ->
          pick("max_over_time", "min_over_time", "avg_over_time", "rate", "deriv")
              + "("
              + vector(depth - 1)
              + "["
              + pick("2m", "3m")
              + ":"
              + pick("", "30s", "1m")
              + "])";
      case 10 -> "histogram_quantile(" + pick("0.5", "0.9", "0.99") + ", rate(bkt[2m]))";
      case 11 -> "label_replace(" + vector(depth - 1) + ", \"k\", \"$1\", \"i\", \"(.*)\")";
      case 12 -> "label_join(" + vector(depth - 1) + ", \"k\", \"-\", \"i\", \"j\")";
      case 13 ->
          pick("clamp_min", "clamp_max", "round")
              + "("
              + vector(depth - 1)
              + ", "
              + scalar(0)
              + ")";
      case 14 ->
          pick("timestamp", "absent", "sort", "sort_desc", "exp", "log10", "round")
              + "("
              + vector(depth - 1)
              + ")";
      case 15 -> "count_values by (i) (\"v\", " + vector(depth - 1) + ")";
      case 16 ->
          "quantile_over_time("
              + pick("0", "0.25", "0.5", "1", "-1")
              + ", "
              + pick("req", "lat")
              + "["
              + pick("2m", "5m")
              + "])";
      case 17 ->
          "predict_linear("
              + pick("req", "lat")
              + "["
              + pick("2m", "5m")
              + "], "
              + pick("60", "3600", "-30")
              + ")";
      case 18 ->
          "holt_winters("
              + pick("req", "lat")
              + "[5m], "
              + pick("0.1", "0.5")
              + ", "
              + pick("0.3", "0.9")
              + ")";
      default -> "absent_over_time(" + pick("up", "nonexistent{i=\"1\"}", "lat") + "[1m])";
    };
  }

  private String scalar(int depth) {
    if (depth <= 0 || random.nextInt(3) > 0) {
      return pick("0", "1", "2", "0.5", "-1", "3");
    }
    return switch (random.nextInt(3)) {
      case 0 -> "scalar(" + vector(depth - 1) + ")";
      case 1 -> "time()";
      default -> "(" + scalar(depth - 1) + " " + arithmetic() + " " + scalar(depth - 1) + ")";
    };
  }

  private String selector() {
    return pick(
        "req", "lat", "up", "req{i=\"1\"}", "lat{j=~\"x|y\"}", "req offset 1m", "lat @ 300");
  }

  private String rangeFunction() {
    return pick(
        "rate",
        "irate",
        "increase",
        "delta",
        "idelta",
        "deriv",
        "changes",
        "resets",
        "avg_over_time",
        "min_over_time",
        "max_over_time",
        "sum_over_time",
        "count_over_time",
        "last_over_time",
        "stddev_over_time",
        "stdvar_over_time",
        "present_over_time");
  }

  private String aggregation(int depth) {
    String op =
        pick(
            "sum",
            "min",
            "max",
            "avg",
            "count",
            "group",
            "stddev",
            "stdvar",
            "topk",
            "bottomk",
            "quantile");
    // avg, stddev, stdvar and topk/bottomk ties depend on input order, which is random in
    // promtool: give them one-element groups (no two series share i and j).
    String grouping =
        switch (op) {
          case "avg", "stddev", "stdvar", "topk", "bottomk" -> pick(" by (i, j)", " without ()");
          default -> pick("", " by (i)", " without (j)", " by (j)");
        };
    String param =
        switch (op) {
          case "topk", "bottomk" -> pick("1", "2") + ", ";
          case "quantile" -> pick("0.5", "0.9") + ", ";
          default -> "";
        };
    return op + grouping + " (" + param + vector(depth - 1) + ")";
  }

  private String matching() {
    return pick(
        "",
        "",
        " on(i)",
        " ignoring(j)",
        " on(i) group_left",
        " on(i) group_right",
        " ignoring(j) group_left(j)");
  }

  private String arithmetic() {
    return pick("+", "-", "*", "/", "%", "^");
  }

  private String comparison() {
    return pick("==", "!=", ">", "<", ">=", "<=");
  }

  private String arithmeticOrComparison() {
    return random.nextBoolean() ? arithmetic() : comparison() + maybeBool();
  }

  private String maybeBool() {
    return random.nextBoolean() ? " bool" : "";
  }

  private String pick(String... options) {
    return options[random.nextInt(options.length)];
  }
}
