package io.raftwatch.collector.promql;

import io.raftwatch.collector.promql.Value.Matrix;
import io.raftwatch.collector.promql.Value.Sample;
import io.raftwatch.collector.promql.Value.Scalar;
import io.raftwatch.collector.promql.Value.Series;
import io.raftwatch.collector.promql.Value.StringValue;
import io.raftwatch.collector.tsdb.Labels;
import io.raftwatch.collector.tsdb.SeriesReader;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.LongSupplier;

/**
 * Runs PromQL queries over a {@link SeriesReader}: the entry point for the rules engine, the HTTP
 * API and the reports.
 *
 * <p>{@link #instantQuery} evaluates at one time (an alerting or recording rule's evaluation);
 * {@link #rangeQuery} at every step of a range (Prometheus's {@code query_range}). Both accept a
 * query string or an {@link Expr} already returned by {@link #parse}, so a rule is parsed once.
 * Results follow Prometheus 2.42 (see {@code package-info.java} for the known differences).
 *
 * <p>Typical use by a rule group:
 *
 * <pre>{@code
 * Engine engine = new Engine(store, EngineOptions.defaults().withTimeout(Duration.ofSeconds(10)));
 * Expr expr = Engine.parse("etcd_server_has_leader == 0"); // PromqlParseException: "1:5: ..."
 * Value v = engine.instantQuery(expr, evaluationTime);     // a Value.Vector for alert rules
 * }</pre>
 *
 * <p>Thread-safe: queries share nothing but the reader, so any thread may call concurrently. A
 * query runs on the caller's thread and stops with {@link QueryLimitException} when it passes the
 * timeout or the sample limit of its {@link EngineOptions}.
 */
public final class Engine {
  private final SeriesReader reader;
  private final EngineOptions options;
  private final LongSupplier nanoTime;

  /** An engine with {@link EngineOptions#defaults()}. */
  public Engine(SeriesReader reader) {
    this(reader, EngineOptions.defaults());
  }

  /** An engine whose timeout is measured with {@link System#nanoTime()}. */
  public Engine(SeriesReader reader, EngineOptions options) {
    this(reader, options, System::nanoTime);
  }

  /** An engine whose timeout is measured with {@code nanoTime}, for tests. */
  public Engine(SeriesReader reader, EngineOptions options, LongSupplier nanoTime) {
    this.reader = reader;
    this.options = options;
    this.nanoTime = nanoTime;
  }

  /**
   * Parses and type-checks {@code query}; the result tells its {@link Expr#type()} and {@link
   * Expr#selectors()}.
   *
   * @throws PromqlParseException with Prometheus's message and the line:column
   */
  public static Expr parse(String query) {
    return Parser.parse(query);
  }

  /** {@link #instantQuery(Expr, Instant)} of a query string. */
  public Value instantQuery(String query, Instant time) {
    return instantQuery(parse(query), time);
  }

  /**
   * Evaluates {@code expr} at {@code time}: a {@link Value.Vector} or {@link Scalar} (a {@link
   * Matrix} for a range-vector expression, a {@link StringValue} for a string). Vector samples
   * carry {@code time} as their timestamp.
   *
   * @throws PromqlEvalException for an evaluation error, such as a many-to-many match
   */
  public Value instantQuery(Expr expr, Instant time) {
    long t = time.toEpochMilli();
    Evaluator ev =
        new Evaluator(reader, options, nanoTime, t, t, options.evaluationInterval().toMillis());
    ev.load(expr);
    return switch (expr.type()) {
      case SCALAR -> new Scalar(t, ev.scalar(expr, t));
      case STRING -> new StringValue(t, ev.string(expr));
      case INSTANT_VECTOR -> {
        List<Sample> v = ev.vector(expr, t);
        List<Sample> out = new ArrayList<>(v.size());
        for (Sample s : v) {
          out.add(s.timestampMillis() == t ? s : new Sample(s.labels(), t, s.value()));
        }
        yield new Value.Vector(out);
      }
      case RANGE_VECTOR -> {
        List<Series> series = new ArrayList<>();
        for (SeriesWindow w : ev.range(expr, t)) {
          series.add(
              new Series(
                  w.labels,
                  Arrays.copyOfRange(w.timestamps, w.from, w.to),
                  Arrays.copyOfRange(w.values, w.from, w.to)));
        }
        series.sort(Comparator.comparing(Series::labels));
        yield new Matrix(series);
      }
    };
  }

  /** {@link #rangeQuery(Expr, Instant, Instant, Duration)} of a query string. */
  public Matrix rangeQuery(String query, Instant start, Instant end, Duration step) {
    return rangeQuery(parse(query), start, end, step);
  }

  /**
   * Evaluates {@code expr} at {@code start}, {@code start + step}, ... up to {@code end}: one
   * series per label set seen, sorted by labels; a scalar expression gives one series without
   * labels.
   *
   * @throws IllegalArgumentException when the expression is not a scalar or instant vector, or the
   *     step is not positive, or end is before start
   */
  public Matrix rangeQuery(Expr expr, Instant start, Instant end, Duration step) {
    if (expr.type() != ValueType.SCALAR && expr.type() != ValueType.INSTANT_VECTOR) {
      throw new IllegalArgumentException(
          "invalid expression type "
              + StringLiterals.quote(expr.type().documentedName())
              + " for range query, must be Scalar or instant Vector");
    }
    long s = start.toEpochMilli();
    long e = end.toEpochMilli();
    long st = step.toMillis();
    if (st <= 0) {
      throw new IllegalArgumentException(
          "zero or negative query resolution step widths are not accepted");
    }
    if (e < s) {
      throw new IllegalArgumentException("end timestamp must not be before start time");
    }
    // Subqueries without a step use the evaluation interval, not the query's step, as in
    // Prometheus.
    Evaluator ev =
        new Evaluator(reader, options, nanoTime, s, e, options.evaluationInterval().toMillis());
    ev.load(expr);
    Map<Labels, PointBuffer> out = new TreeMap<>();
    for (long t = s; t <= e; t += st) {
      if (expr.type() == ValueType.SCALAR) {
        out.computeIfAbsent(Labels.EMPTY, l -> new PointBuffer()).add(t, ev.scalar(expr, t));
      } else {
        for (Sample sample : ev.vector(expr, t)) {
          out.computeIfAbsent(sample.labels(), l -> new PointBuffer()).add(t, sample.value());
        }
      }
    }
    List<Series> series = new ArrayList<>(out.size());
    out.forEach((labels, b) -> series.add(
        new Series(labels, Arrays.copyOf(b.timestamps, b.size), Arrays.copyOf(b.values, b.size))));
    return new Matrix(series);
  }
}
