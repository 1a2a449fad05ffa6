package io.raftwatch.collector.promql;

import io.raftwatch.collector.promql.Expr.AggregateExpr;
import io.raftwatch.collector.promql.Expr.AtModifier;
import io.raftwatch.collector.promql.Expr.BinaryExpr;
import io.raftwatch.collector.promql.Expr.Call;
import io.raftwatch.collector.promql.Expr.MatrixSelector;
import io.raftwatch.collector.promql.Expr.NumberLiteral;
import io.raftwatch.collector.promql.Expr.ParenExpr;
import io.raftwatch.collector.promql.Expr.StringLiteral;
import io.raftwatch.collector.promql.Expr.SubqueryExpr;
import io.raftwatch.collector.promql.Expr.UnaryExpr;
import io.raftwatch.collector.promql.Expr.VectorSelector;
import io.raftwatch.collector.promql.Value.Sample;
import io.raftwatch.collector.tsdb.LabelMatcher;
import io.raftwatch.collector.tsdb.Labels;
import io.raftwatch.collector.tsdb.SampleIterator;
import io.raftwatch.collector.tsdb.Samples;
import io.raftwatch.collector.tsdb.SeriesReader;
import io.raftwatch.collector.tsdb.SeriesView;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.LongSupplier;

/**
 * Evaluates one parsed query over a {@link SeriesReader}, step by step: each step is an instant
 * evaluation at time {@code t}, which gives exactly Prometheus's range-query results. Before the
 * first step it reads every selector's series once, over the whole time span the query needs
 * (lookback, ranges, offsets, {@code @}, subqueries included), into primitive arrays; steps then
 * look samples up by binary search and slide windows over the arrays without copying them.
 *
 * <p>Created per query by {@link Engine}; single-threaded; never mutates the store.
 */
final class Evaluator {
  private final SeriesReader reader;
  private final long lookbackMillis;
  private final long maxSamples;
  private final long deadlineNanos;
  private final LongSupplier nanoTime;
  private final long queryStart;
  private final long queryEnd;
  private final long interval;
  private final Map<VectorSelector, long[]> selectorSpans = new IdentityHashMap<>();
  private final Map<VectorSelector, StoredSeries[]> selected = new IdentityHashMap<>();
  private final RangeFunctions rangeFunctions = new RangeFunctions();
  private long samplesLoaded;

  /**
   * @param queryStart the first evaluation time (ms); {@code start()} in {@code @}
   * @param queryEnd the last evaluation time (ms); {@code end()} in {@code @}
   * @param interval the default subquery resolution (ms): the evaluation interval
   */
  Evaluator(
      SeriesReader reader,
      EngineOptions options,
      LongSupplier nanoTime,
      long queryStart,
      long queryEnd,
      long interval) {
    this.reader = reader;
    this.lookbackMillis = options.lookbackDelta().toMillis();
    this.maxSamples = options.maxSamples();
    this.nanoTime = nanoTime;
    this.deadlineNanos = nanoTime.getAsLong() + options.timeout().toNanos();
    this.queryStart = queryStart;
    this.queryEnd = queryEnd;
    this.interval = interval;
  }

  // ---- Reading the store once per selector.

  /** Reads the series of every selector in {@code root}, over the span the query will need. */
  void load(Expr root) {
    collectSpans(root, queryStart, queryEnd);
    for (Map.Entry<VectorSelector, long[]> e : selectorSpans.entrySet()) {
      long[] span = e.getValue();
      selected.put(e.getKey(), read(e.getKey().matchers(), span[0], span[1]));
    }
  }

  /**
   * Records, for each selector below {@code e}, the span of times it is read at when {@code e} is
   * evaluated at [minT, maxT].
   */
  private void collectSpans(Expr e, long minT, long maxT) {
    if (e instanceof VectorSelector vs) {
      addSpan(vs, minT, maxT, lookbackMillis);
    } else if (e instanceof MatrixSelector ms) {
      addSpan(ms.selector(), minT, maxT, ms.rangeMillis());
    } else if (e instanceof SubqueryExpr sq) {
      long lo = (sq.at() == null ? minT : atTime(sq.at())) - sq.offsetMillis() - sq.rangeMillis();
      long hi = (sq.at() == null ? maxT : atTime(sq.at())) - sq.offsetMillis();
      collectSpans(sq.expr(), lo, hi);
    } else {
      for (Expr c : e.children()) {
        collectSpans(c, minT, maxT);
      }
    }
  }

  private void addSpan(VectorSelector vs, long minT, long maxT, long before) {
    long lo = (vs.at() == null ? minT : atTime(vs.at())) - vs.offsetMillis() - before;
    long hi = (vs.at() == null ? maxT : atTime(vs.at())) - vs.offsetMillis();
    long[] span = selectorSpans.get(vs);
    if (span == null) {
      selectorSpans.put(vs, new long[] {lo, hi});
    } else {
      span[0] = Math.min(span[0], lo);
      span[1] = Math.max(span[1], hi);
    }
  }

  private StoredSeries[] read(List<LabelMatcher> matchers, long minT, long maxT) {
    List<SeriesView> views = reader.select(minT, maxT, matchers);
    StoredSeries[] out = new StoredSeries[views.size()];
    long[] ts = new long[64];
    double[] vs = new double[64];
    long[] stale = new long[8];
    for (int s = 0; s < out.length; s++) {
      SeriesView view = views.get(s);
      int n = 0;
      int nStale = 0;
      SampleIterator it = view.samples();
      while (it.next()) {
        long t = it.timestamp();
        if (t < minT || t > maxT) {
          continue;
        }
        double v = it.value();
        if (Samples.isStale(v)) {
          if (nStale == stale.length) {
            stale = Arrays.copyOf(stale, nStale * 2);
          }
          stale[nStale++] = t;
          continue;
        }
        if (n == ts.length) {
          ts = Arrays.copyOf(ts, n * 2);
          vs = Arrays.copyOf(vs, n * 2);
        }
        ts[n] = t;
        vs[n] = v;
        n++;
      }
      countSamples(n);
      out[s] =
          new StoredSeries(
              view.labels(),
              Arrays.copyOf(ts, n),
              Arrays.copyOf(vs, n),
              Arrays.copyOf(stale, nStale));
    }
    return out;
  }

  private void countSamples(long n) {
    samplesLoaded += n;
    if (samplesLoaded > maxSamples) {
      throw new QueryLimitException(
          "query processing would load too many samples into memory in query execution");
    }
  }

  private void checkDeadline() {
    if (nanoTime.getAsLong() - deadlineNanos > 0) {
      throw new QueryLimitException("query timed out in query execution");
    }
  }

  private long atTime(AtModifier at) {
    return switch (at.kind()) {
      case TIMESTAMP -> at.timestampMillis();
      case START -> queryStart;
      case END -> queryEnd;
    };
  }

  // ---- Evaluation by type; the parser guarantees each node's type.

  /** The value of a scalar expression at {@code t}. */
  double scalar(Expr e, long t) {
    if (e instanceof NumberLiteral n) {
      return n.value();
    } else if (e instanceof ParenExpr p) {
      return scalar(p.expr(), t);
    } else if (e instanceof UnaryExpr u) {
      double v = scalar(u.expr(), t);
      return u.negative() ? -v : v;
    } else if (e instanceof BinaryExpr b) {
      return BinaryOperations.scalarScalar(b.op(), scalar(b.lhs(), t), scalar(b.rhs(), t));
    } else if (e instanceof Call c) {
      switch (c.function()) {
        case TIME:
          return t / 1000.0;
        case PI:
          return Math.PI;
        case SCALAR_FN:
          List<Sample> v = vector(c.args().get(0), t);
          return v.size() == 1 ? v.get(0).value() : Double.NaN;
        default:
          break;
      }
    }
    throw new IllegalStateException("not a scalar expression: " + e);
  }

  /** The value of a string expression. */
  String string(Expr e) {
    if (e instanceof StringLiteral s) {
      return s.value();
    } else if (e instanceof ParenExpr p) {
      return string(p.expr());
    }
    throw new IllegalStateException("not a string expression: " + e);
  }

  /** The value of an instant-vector expression at {@code t}. */
  List<Sample> vector(Expr e, long t) {
    checkDeadline();
    if (e instanceof VectorSelector vs) {
      return select(vs, t);
    } else if (e instanceof ParenExpr p) {
      return vector(p.expr(), t);
    } else if (e instanceof UnaryExpr u) {
      List<Sample> v = vector(u.expr(), t);
      if (!u.negative()) {
        return v;
      }
      List<Sample> out = new ArrayList<>(v.size());
      for (Sample s : v) {
        out.add(new Sample(s.labels().withoutName(), t, -s.value()));
      }
      return out;
    } else if (e instanceof BinaryExpr b) {
      return checkDistinct(binary(b, t));
    } else if (e instanceof AggregateExpr a) {
      return aggregate(a, t);
    } else if (e instanceof Call c) {
      return checkDistinct(call(c, t));
    }
    throw new IllegalStateException("not an instant vector expression: " + e);
  }

  /** The value of a range-vector expression at {@code t}: one window per series with points. */
  List<SeriesWindow> range(Expr e, long t) {
    checkDeadline();
    if (e instanceof MatrixSelector ms) {
      VectorSelector vs = ms.selector();
      long ref = (vs.at() == null ? t : atTime(vs.at())) - vs.offsetMillis();
      StoredSeries[] series = selected.get(vs);
      List<SeriesWindow> out = new ArrayList<>(series.length);
      for (StoredSeries s : series) {
        SeriesWindow w = s.window(ref - ms.rangeMillis(), ref);
        if (w.size() > 0) {
          out.add(w);
        }
      }
      return out;
    } else if (e instanceof SubqueryExpr sq) {
      return subquery(sq, t);
    } else if (e instanceof ParenExpr p) {
      return range(p.expr(), t);
    }
    throw new IllegalStateException("not a range vector expression: " + e);
  }

  private List<Sample> select(VectorSelector vs, long t) {
    long ref = (vs.at() == null ? t : atTime(vs.at())) - vs.offsetMillis();
    StoredSeries[] series = selected.get(vs);
    List<Sample> out = new ArrayList<>(series.length);
    for (StoredSeries s : series) {
      int i = s.latestAtOrBefore(ref);
      if (i < 0 || s.timestamps[i] < ref - lookbackMillis || s.staleAfter(i, ref)) {
        continue;
      }
      out.add(new Sample(s.labels, s.timestamps[i], s.values[i]));
    }
    return out;
  }

  private List<SeriesWindow> subquery(SubqueryExpr sq, long t) {
    long step = sq.stepMillis() > 0 ? sq.stepMillis() : interval;
    long end = (sq.at() == null ? t : atTime(sq.at())) - sq.offsetMillis();
    long lowest = end - sq.rangeMillis();
    // The first multiple of the step at or after the range start, as Prometheus aligns subqueries.
    long start = Math.floorDiv(lowest, step) * step;
    if (start < lowest) {
      start += step;
    }
    Map<Labels, PointBuffer> bySeries = new LinkedHashMap<>();
    for (long s = start; s <= end; s += step) {
      for (Sample sample : vector(sq.expr(), s)) {
        bySeries.computeIfAbsent(sample.labels(), l -> new PointBuffer()).add(s, sample.value());
      }
    }
    List<SeriesWindow> out = new ArrayList<>(bySeries.size());
    for (Map.Entry<Labels, PointBuffer> e : bySeries.entrySet()) {
      PointBuffer b = e.getValue();
      countSamples(b.size);
      out.add(new SeriesWindow(e.getKey(), b.timestamps, b.values, 0, b.size));
    }
    return out;
  }

  // ---- Operators.

  private List<Sample> binary(BinaryExpr b, long t) {
    ValueType lt = b.lhs().type();
    ValueType rt = b.rhs().type();
    if (lt == ValueType.SCALAR) {
      double l = scalar(b.lhs(), t);
      return BinaryOperations.vectorScalar(b.op(), vector(b.rhs(), t), l, true, b.returnBool(), t);
    }
    if (rt == ValueType.SCALAR) {
      List<Sample> l = vector(b.lhs(), t);
      return BinaryOperations.vectorScalar(b.op(), l, scalar(b.rhs(), t), false, b.returnBool(), t);
    }
    List<Sample> l = vector(b.lhs(), t);
    List<Sample> r = vector(b.rhs(), t);
    return switch (b.op()) {
      case AND -> BinaryOperations.and(l, r, b.matching());
      case OR -> BinaryOperations.or(l, r, b.matching());
      case UNLESS -> BinaryOperations.unless(l, r, b.matching());
      default -> BinaryOperations.vectorVector(b.op(), l, r, b.matching(), b.returnBool(), t);
    };
  }

  private List<Sample> aggregate(AggregateExpr a, long t) {
    double param = 0;
    String valueLabel = null;
    if (a.param() != null) {
      if (a.op() == AggregationOp.COUNT_VALUES) {
        valueLabel = string(a.param());
      } else {
        param = scalar(a.param(), t);
      }
    }
    return Aggregations.aggregate(
        a.op(), a.grouping(), a.without(), param, valueLabel, vector(a.expr(), t), t);
  }

  // ---- Functions.

  private List<Sample> call(Call c, long t) {
    Function f = c.function();
    List<Expr> args = c.args();
    if (f.argTypes().contains(ValueType.RANGE_VECTOR)) {
      return rangeCall(c, t);
    }
    if (InstantFunctions.isElementwise(f)) {
      List<Sample> in =
          args.isEmpty()
              ? List.of(new Sample(Labels.EMPTY, t, t / 1000.0))
              : vector(args.get(0), t);
      return InstantFunctions.mapValues(in, t, v -> InstantFunctions.elementwise(f, v));
    }
    return switch (f) {
      case VECTOR -> List.of(new Sample(Labels.EMPTY, t, scalar(args.get(0), t)));
      case ABSENT ->
          vector(args.get(0), t).isEmpty()
              ? List.of(new Sample(absentLabels(args.get(0)), t, 1))
              : List.of();
      case CLAMP ->
          InstantFunctions.clamp(
              vector(args.get(0), t), scalar(args.get(1), t), scalar(args.get(2), t), t);
      case CLAMP_MIN ->
          InstantFunctions.clamp(
              vector(args.get(0), t), scalar(args.get(1), t), Double.POSITIVE_INFINITY, t);
      case CLAMP_MAX ->
          InstantFunctions.clamp(
              vector(args.get(0), t), Double.NEGATIVE_INFINITY, scalar(args.get(1), t), t);
      case ROUND ->
          InstantFunctions.round(
              vector(args.get(0), t), args.size() > 1 ? scalar(args.get(1), t) : 1, t);
      case TIMESTAMP -> InstantFunctions.timestamp(timestampArgument(args.get(0), t), t);
      case SORT -> InstantFunctions.sort(vector(args.get(0), t), false);
      case SORT_DESC -> InstantFunctions.sort(vector(args.get(0), t), true);
      case HISTOGRAM_QUANTILE ->
          HistogramQuantile.apply(scalar(args.get(0), t), vector(args.get(1), t), t);
      case LABEL_REPLACE ->
          InstantFunctions.labelReplace(
              vector(args.get(0), t),
              string(args.get(1)),
              string(args.get(2)),
              string(args.get(3)),
              string(args.get(4)),
              t);
      case LABEL_JOIN -> {
        List<String> src = new ArrayList<>();
        for (int i = 3; i < args.size(); i++) {
          src.add(string(args.get(i)));
        }
        yield InstantFunctions.labelJoin(
            vector(args.get(0), t), string(args.get(1)), string(args.get(2)), src, t);
      }
      default -> throw new IllegalStateException("unhandled function " + f.promqlName());
    };
  }

  /**
   * timestamp() of a plain selector reports each sample's own time; of anything else, the
   * evaluation time, since other expressions produce values at the step.
   */
  private List<Sample> timestampArgument(Expr arg, long t) {
    if (unwrap(arg) instanceof VectorSelector vs) {
      return select(vs, t);
    }
    List<Sample> v = vector(arg, t);
    List<Sample> out = new ArrayList<>(v.size());
    for (Sample s : v) {
      out.add(new Sample(s.labels(), t, s.value()));
    }
    return out;
  }

  private List<Sample> rangeCall(Call c, long t) {
    Function f = c.function();
    List<Expr> args = c.args();
    int matrixIndex = f.argTypes().indexOf(ValueType.RANGE_VECTOR);
    Expr matrixArg = args.get(matrixIndex);
    double arg0 = Double.NaN;
    double arg1 = Double.NaN;
    if (f == Function.QUANTILE_OVER_TIME) {
      arg0 = scalar(args.get(0), t);
    } else if (args.size() > 1) {
      arg0 = scalar(args.get(1), t);
      arg1 = args.size() > 2 ? scalar(args.get(2), t) : Double.NaN;
    }
    List<SeriesWindow> windows = range(matrixArg, t);
    if (f == Function.ABSENT_OVER_TIME) {
      return windows.isEmpty() ? List.of(new Sample(absentLabels(matrixArg), t, 1)) : List.of();
    }
    long[] bounds = rangeBounds(unwrap(matrixArg), t);
    List<Sample> out = new ArrayList<>(windows.size());
    for (SeriesWindow w : windows) {
      if (rangeFunctions.compute(f, w, bounds[1], bounds[0], t, arg0, arg1)) {
        Labels labels = f == Function.LAST_OVER_TIME ? w.labels : w.labels.withoutName();
        out.add(new Sample(labels, t, rangeFunctions.result));
      }
    }
    return out;
  }

  /** {range length, range end} of a matrix selector or subquery evaluated at {@code t}. */
  private long[] rangeBounds(Expr matrix, long t) {
    if (matrix instanceof MatrixSelector ms) {
      VectorSelector vs = ms.selector();
      return new long[] {
        ms.rangeMillis(), (vs.at() == null ? t : atTime(vs.at())) - vs.offsetMillis()
      };
    }
    SubqueryExpr sq = (SubqueryExpr) matrix;
    return new long[] {
      sq.rangeMillis(), (sq.at() == null ? t : atTime(sq.at())) - sq.offsetMillis()
    };
  }

  private static Expr unwrap(Expr e) {
    while (e instanceof ParenExpr p) {
      e = p.expr();
    }
    return e;
  }

  /**
   * Prometheus's {@code createLabelsForAbsentFunction}: the labels of the selector's equality
   * matchers, except names matched more than once or also by another kind of matcher.
   */
  private static Labels absentLabels(Expr arg) {
    VectorSelector vs;
    if (arg instanceof VectorSelector v) {
      vs = v;
    } else if (arg instanceof MatrixSelector ms) {
      vs = ms.selector();
    } else {
      return Labels.EMPTY;
    }
    Labels.Builder b = Labels.builder();
    Set<String> seen = new HashSet<>();
    Set<String> drop = new HashSet<>();
    for (LabelMatcher m : vs.matchers()) {
      if (m.name().equals(Labels.METRIC_NAME)) {
        continue;
      }
      if (m.type() == LabelMatcher.Type.EQ && seen.add(m.name())) {
        b.set(m.name(), m.value());
      } else {
        drop.add(m.name());
      }
    }
    drop.forEach(b::remove);
    return b.build();
  }

  private static List<Sample> checkDistinct(List<Sample> v) {
    if (v.size() < 2) {
      return v;
    }
    Set<Labels> seen = new HashSet<>(v.size() * 2);
    for (Sample s : v) {
      if (!seen.add(s.labels())) {
        throw new PromqlEvalException("vector cannot contain metrics with the same labelset");
      }
    }
    return v;
  }
}
