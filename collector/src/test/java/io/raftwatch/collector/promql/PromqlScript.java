package io.raftwatch.collector.promql;

import io.raftwatch.collector.tsdb.Labels;
import io.raftwatch.collector.tsdb.Samples;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A test script in Prometheus's promqltest language ({@code promql/promqltest/README.md}), parsed:
 * {@code load <step>} with series in the expanding notation, {@code clear}, and {@code eval},
 * {@code eval_ordered} and {@code eval_fail} ({@code instant at <time> <expr>}) with their expected
 * lines, or {@code expected_fail_message}/{@code expected_fail_regexp} after {@code eval_fail}.
 * Both {@link PromqlConformanceTest} (our engine) and {@link PromtoolOracleTest} (promtool) read
 * the same scripts through this class.
 */
record PromqlScript(Path file, List<Command> commands) {
  /** One command of a script; {@code line} is 1-based, for failure messages. */
  sealed interface Command permits Load, Clear, Eval {
    int line();
  }

  /** {@code load <step>}: series whose i-th value is at i*step ms. */
  record Load(int line, long stepMillis, List<SeriesSpec> series) implements Command {}

  /** {@code clear}. */
  record Clear(int line) implements Command {}

  /** How an {@code eval} judges the result. */
  enum EvalKind {
    UNORDERED,
    ORDERED,
    FAIL
  }

  /**
   * An {@code eval*} command. {@code expected} is empty for an empty result; a scalar result has
   * one expectation with null labels.
   */
  record Eval(
      int line,
      EvalKind kind,
      long timeMillis,
      String expr,
      List<Expected> expected,
      String failMessage,
      Pattern failRegexp)
      implements Command {}

  /** One expected result line: labels (null for a scalar) and a value, as written. */
  record Expected(Labels labels, String labelsText, double value) {}

  /**
   * One series of a load: its labels and description as written, and the expanded points (NaN
   * values that are {@link Samples#STALE_NAN} mark staleness; omitted points are absent).
   */
  record SeriesSpec(
      String labelsText, Labels labels, String valuesText, long[] times, double[] values) {}

  private static final Pattern EVAL =
      Pattern.compile("^(eval|eval_ordered|eval_fail)\\s+instant\\s+at\\s+(\\S+)\\s+(.+)$");
  private static final Pattern LOAD = Pattern.compile("^load\\s+(\\S+)$");

  /** Reads and parses a script; a malformed line fails with the file and line. */
  static PromqlScript read(Path file) throws IOException {
    List<String> lines = Files.readAllLines(file);
    List<Command> commands = new ArrayList<>();
    int i = 0;
    while (i < lines.size()) {
      String raw = lines.get(i);
      String line = raw.strip();
      int lineNo = i + 1;
      i++;
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      Matcher m;
      if (line.equals("clear")) {
        commands.add(new Clear(lineNo));
      } else if ((m = LOAD.matcher(line)).matches()) {
        long step = PromDuration.parseMillis(m.group(1));
        List<SeriesSpec> series = new ArrayList<>();
        while (i < lines.size() && isBodyLine(lines.get(i))) {
          series.add(parseSeries(file, i + 1, lines.get(i).strip(), step));
          i++;
        }
        commands.add(new Load(lineNo, step, series));
      } else if ((m = EVAL.matcher(line)).matches()) {
        EvalKind kind =
            switch (m.group(1)) {
              case "eval_ordered" -> EvalKind.ORDERED;
              case "eval_fail" -> EvalKind.FAIL;
              default -> EvalKind.UNORDERED;
            };
        long time = PromDuration.parseMillis(m.group(2));
        List<Expected> expected = new ArrayList<>();
        String failMessage = null;
        Pattern failRegexp = null;
        while (i < lines.size() && isBodyLine(lines.get(i))) {
          String body = lines.get(i).strip();
          if (body.startsWith("expected_fail_message ")) {
            failMessage = body.substring("expected_fail_message ".length()).strip();
          } else if (body.startsWith("expected_fail_regexp ")) {
            failRegexp = Pattern.compile(body.substring("expected_fail_regexp ".length()).strip());
          } else {
            expected.add(parseExpected(file, i + 1, body));
          }
          i++;
        }
        commands.add(
            new Eval(lineNo, kind, time, m.group(3).strip(), expected, failMessage, failRegexp));
      } else {
        throw new IllegalArgumentException(file + ":" + lineNo + ": unknown command: " + line);
      }
    }
    return new PromqlScript(file, commands);
  }

  private static boolean isBodyLine(String raw) {
    return !raw.isBlank() && Character.isWhitespace(raw.charAt(0)) && !raw.strip().startsWith("#");
  }

  private static SeriesSpec parseSeries(Path file, int lineNo, String line, long step) {
    int split = splitLabelsAndRest(line);
    String labelsText = line.substring(0, split).strip();
    String valuesText = line.substring(split).strip();
    try {
      Labels labels = Parser.parseSeriesLabels(labelsText);
      List<Long> times = new ArrayList<>();
      List<Double> values = new ArrayList<>();
      long index = 0;
      for (String item : valuesText.split("\\s+")) {
        index = expand(item, index, step, times, values);
      }
      long[] t = times.stream().mapToLong(Long::longValue).toArray();
      double[] v = values.stream().mapToDouble(Double::doubleValue).toArray();
      return new SeriesSpec(labelsText, labels, valuesText, t, v);
    } catch (RuntimeException e) {
      throw new IllegalArgumentException(file + ":" + lineNo + ": " + e.getMessage(), e);
    }
  }

  private static final Pattern SEQUENCE = Pattern.compile("^(.+?)([+-][^x]+)x([0-9]+)$");
  private static final Pattern REPEAT = Pattern.compile("^(.+?)x([0-9]+)$");

  /**
   * Expands one item of the notation from point {@code index} on, as Prometheus's series grammar
   * does: {@code _} (none), {@code _xN} (N omitted), {@code stale}, {@code v}, {@code vxN} (N+1
   * copies), {@code a+bxN} / {@code a-bxN} (N+1 values, adding b each time).
   */
  private static long expand(
      String item, long index, long step, List<Long> times, List<Double> values) {
    if (item.equals("_")) {
      return index + 1;
    }
    if (item.startsWith("_x")) {
      return index + Long.parseLong(item.substring(2));
    }
    if (item.equals("stale")) {
      times.add(index * step);
      values.add(Samples.STALE_NAN);
      return index + 1;
    }
    Matcher m = SEQUENCE.matcher(item);
    if (m.matches() && !item.matches("^[+-]?[0-9.]+[eE][+-][0-9]+$")) {
      double v = GoNumbers.parseFloat(m.group(1));
      double inc = GoNumbers.parseFloat(m.group(2));
      long n = Long.parseLong(m.group(3));
      for (long i = 0; i <= n; i++) {
        times.add(index * step);
        values.add(v);
        v += inc;
        index++;
      }
      return index;
    }
    m = REPEAT.matcher(item);
    if (m.matches()) {
      double v = GoNumbers.parseFloat(m.group(1));
      long n = Long.parseLong(m.group(2));
      for (long i = 0; i <= n; i++) {
        times.add(index * step);
        values.add(v);
        index++;
      }
      return index;
    }
    times.add(index * step);
    values.add(GoNumbers.parseFloat(item));
    return index + 1;
  }

  private static Expected parseExpected(Path file, int lineNo, String line) {
    try {
      int split = splitLabelsAndRest(line);
      if (split == 0) {
        return new Expected(null, null, GoNumbers.parseFloat(line));
      }
      String labelsText = line.substring(0, split).strip();
      double value = GoNumbers.parseFloat(line.substring(split).strip());
      Labels labels = labelsText.equals("{}") ? Labels.EMPTY : Parser.parseSeriesLabels(labelsText);
      return new Expected(labels, labelsText, value);
    } catch (RuntimeException e) {
      throw new IllegalArgumentException(file + ":" + lineNo + ": " + e.getMessage(), e);
    }
  }

  /** The end of the series description at the start of {@code line} (0 when there is none). */
  private static int splitLabelsAndRest(String line) {
    int brace = line.indexOf('{');
    int space = line.indexOf(' ');
    if (brace >= 0 && (space < 0 || brace < space)) {
      boolean quoted = false;
      for (int i = brace; i < line.length(); i++) {
        char c = line.charAt(i);
        if (c == '\\') {
          i++;
        } else if (c == '"') {
          quoted = !quoted;
        } else if (c == '}' && !quoted) {
          return i + 1;
        }
      }
      throw new IllegalArgumentException("unterminated label set: " + line);
    }
    if (space < 0) {
      return 0;
    }
    String first = line.substring(0, space);
    try {
      GoNumbers.parseFloat(first);
      return 0; // A bare value: a scalar expectation.
    } catch (NumberFormatException e) {
      return space;
    }
  }
}
