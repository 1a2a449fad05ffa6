package io.raftwatch.collector.promql;

import io.raftwatch.collector.promql.Value.Sample;
import io.raftwatch.collector.tsdb.Labels;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The aggregation operators over one step's instant vector, as Prometheus's {@code
 * evaluator.aggregation} computes them: groups in order of first appearance, {@code avg} as an
 * incremental mean that survives infinities, {@code stddev}/{@code stdvar} by Welford's method,
 * {@code topk}/{@code bottomk} through a heap that treats NaN as the least value, and {@code
 * count_values} labels formatted as Go's {@code FormatFloat(v, 'f', -1, 64)}. Stateless; called by
 * the {@link Evaluator}.
 */
final class Aggregations {
  private Aggregations() {}

  /** One group's running state. */
  private static final class Group {
    final Labels labels;
    double value;
    double mean;
    long count = 1;
    List<Sample> heap; // topk, bottomk (as a binary heap) and quantile (as a plain list).

    Group(Labels labels, double first) {
      this.labels = labels;
      this.value = first;
      this.mean = first;
    }
  }

  /**
   * Aggregates {@code vector}.
   *
   * @param param the scalar parameter of topk, bottomk and quantile (ignored otherwise)
   * @param valueLabel the label of count_values (null otherwise)
   */
  static List<Sample> aggregate(
      AggregationOp op,
      List<String> grouping,
      boolean without,
      double param,
      String valueLabel,
      List<Sample> vector,
      long t) {
    long k = 0;
    if (op == AggregationOp.TOPK || op == AggregationOp.BOTTOMK) {
      if (!(param >= Long.MIN_VALUE && param <= Long.MAX_VALUE)) {
        throw new PromqlEvalException(
            "Scalar value " + GoNumbers.formatG(param) + " overflows int64");
      }
      k = (long) param;
      if (k < 1) {
        return List.of();
      }
    }
    List<String> groupingLabels = grouping;
    if (op == AggregationOp.COUNT_VALUES) {
      if (!Parser.isValidLabelName(valueLabel)) {
        throw new PromqlEvalException("invalid label name " + StringLiterals.quote(valueLabel));
      }
      if (!without) {
        groupingLabels = new ArrayList<>(grouping);
        groupingLabels.add(valueLabel);
      }
    }
    Map<Labels, Group> groups = new HashMap<>();
    List<Group> ordered = new ArrayList<>();
    for (Sample s : vector) {
      Labels metric = s.labels();
      if (op == AggregationOp.COUNT_VALUES) {
        metric = metric.toBuilder().set(valueLabel, GoNumbers.formatF(s.value())).build();
      }
      Labels key =
          without ? metric.withoutName().without(groupingLabels) : metric.keep(groupingLabels);
      Group g = groups.get(key);
      double v = s.value();
      if (g == null) {
        g = new Group(key, v);
        groups.put(key, g);
        ordered.add(g);
        switch (op) {
          case STDVAR, STDDEV -> g.value = 0;
          case GROUP -> g.value = 1;
          case TOPK, BOTTOMK, QUANTILE -> {
            g.heap = new ArrayList<>();
            g.heap.add(s);
          }
          default -> {}
        }
        continue;
      }
      switch (op) {
        case SUM -> g.value += v;
        case AVG -> {
          g.count++;
          if (Double.isInfinite(g.mean)) {
            if (Double.isInfinite(v) && (g.mean > 0) == (v > 0)) {
              break;
            }
            if (!Double.isInfinite(v) && !Double.isNaN(v)) {
              break;
            }
          }
          g.mean += v / g.count - g.mean / g.count;
        }
        case GROUP -> {}
        case MAX -> {
          if (g.value < v || Double.isNaN(g.value)) {
            g.value = v;
          }
        }
        case MIN -> {
          if (g.value > v || Double.isNaN(g.value)) {
            g.value = v;
          }
        }
        case COUNT, COUNT_VALUES -> g.count++;
        case STDVAR, STDDEV -> {
          g.count++;
          double delta = v - g.mean;
          g.mean += delta / g.count;
          g.value += delta * (v - g.mean);
        }
        case TOPK -> offer(g.heap, s, k, TOP_LESS);
        case BOTTOMK -> offer(g.heap, s, k, BOTTOM_LESS);
        case QUANTILE -> g.heap.add(s);
      }
    }
    List<Sample> out = new ArrayList<>(ordered.size());
    for (Group g : ordered) {
      double value =
          switch (op) {
            case AVG -> g.mean;
            case COUNT, COUNT_VALUES -> g.count;
            case STDVAR -> g.value / g.count;
            case STDDEV -> Math.sqrt(g.value / g.count);
            case QUANTILE -> quantile(param, values(g.heap));
            default -> g.value;
          };
      if (op == AggregationOp.TOPK || op == AggregationOp.BOTTOMK) {
        Comparator<Sample> less = op == AggregationOp.TOPK ? TOP_LESS : BOTTOM_LESS;
        List<Sample> sorted = new ArrayList<>(g.heap);
        sorted.sort(less.reversed());
        for (Sample s : sorted) {
          out.add(new Sample(s.labels(), t, s.value()));
        }
        continue;
      }
      out.add(new Sample(g.labels, t, value));
    }
    return out;
  }

  /** topk's heap order: the least value (NaN least of all) on top. */
  private static final Comparator<Sample> TOP_LESS =
      (a, b) ->
          lessAsInt(
              Double.isNaN(a.value()) || a.value() < b.value(),
              Double.isNaN(b.value()) || b.value() < a.value());

  /** bottomk's heap order: the greatest value (NaN counted as least) on top. */
  private static final Comparator<Sample> BOTTOM_LESS =
      (a, b) ->
          lessAsInt(
              Double.isNaN(a.value()) || a.value() > b.value(),
              Double.isNaN(b.value()) || b.value() > a.value());

  private static int lessAsInt(boolean aLess, boolean bLess) {
    return aLess ? -1 : bLess ? 1 : 0;
  }

  /**
   * Offers {@code s} to a bounded heap of at most {@code k} elements, replacing the top when {@code
   * s} ranks above it; the sifting follows Go's {@code container/heap} so that ties resolve as in
   * Prometheus.
   */
  private static void offer(List<Sample> heap, Sample s, long k, Comparator<Sample> less) {
    Sample top = heap.get(0);
    boolean ranksAbove =
        less == TOP_LESS
            ? top.value() < s.value() || Double.isNaN(top.value())
            : top.value() > s.value() || Double.isNaN(top.value());
    if (heap.size() < k || ranksAbove) {
      if (heap.size() == k) {
        if (k == 1) {
          heap.set(0, s);
          return;
        }
        pop(heap, less);
      }
      heap.add(s);
      up(heap, heap.size() - 1, less);
    }
  }

  private static void pop(List<Sample> h, Comparator<Sample> less) {
    int n = h.size() - 1;
    swap(h, 0, n);
    down(h, 0, n, less);
    h.remove(n);
  }

  private static void up(List<Sample> h, int j, Comparator<Sample> less) {
    while (j > 0) {
      int i = (j - 1) / 2;
      if (!(less.compare(h.get(j), h.get(i)) < 0)) {
        break;
      }
      swap(h, i, j);
      j = i;
    }
  }

  private static void down(List<Sample> h, int i, int n, Comparator<Sample> less) {
    while (true) {
      int j1 = 2 * i + 1;
      if (j1 >= n) {
        break;
      }
      int j = j1;
      int j2 = j1 + 1;
      if (j2 < n && less.compare(h.get(j2), h.get(j1)) < 0) {
        j = j2;
      }
      if (!(less.compare(h.get(j), h.get(i)) < 0)) {
        break;
      }
      swap(h, i, j);
      i = j;
    }
  }

  private static void swap(List<Sample> h, int i, int j) {
    Sample x = h.get(i);
    h.set(i, h.get(j));
    h.set(j, x);
  }

  private static double[] values(List<Sample> samples) {
    double[] v = new double[samples.size()];
    for (int i = 0; i < v.length; i++) {
      v[i] = samples.get(i).value();
    }
    return v;
  }

  /**
   * Prometheus's {@code quantile}: the q-quantile of {@code values} (sorted here, NaN first),
   * interpolating between the two nearest ranks; -Inf for q &lt; 0 and +Inf for q &gt; 1.
   */
  static double quantile(double q, double[] values) {
    int n = values.length;
    if (n == 0) {
      return Double.NaN;
    }
    if (q < 0) {
      return Double.NEGATIVE_INFINITY;
    }
    if (q > 1) {
      return Double.POSITIVE_INFINITY;
    }
    // Arrays.sort puts NaN last; Go's order puts it first. Move the NaNs to the front.
    Arrays.sort(values);
    int nans = 0;
    while (nans < n && Double.isNaN(values[n - 1 - nans])) {
      nans++;
    }
    if (nans > 0) {
      System.arraycopy(values, 0, values, nans, n - nans);
      Arrays.fill(values, 0, nans, Double.NaN);
    }
    double rank = q * (n - 1);
    double lower = Math.max(0, Math.floor(rank));
    double upper = Math.min(n - 1, lower + 1);
    double weight = rank - Math.floor(rank);
    return values[(int) lower] * (1 - weight) + values[(int) upper] * weight;
  }
}
