package io.raftwatch.collector.promql;

import io.raftwatch.collector.promql.Expr.Cardinality;
import io.raftwatch.collector.promql.Expr.VectorMatching;
import io.raftwatch.collector.promql.Value.Sample;
import io.raftwatch.collector.tsdb.Labels;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Binary operators on scalars and instant vectors with Prometheus's semantics ({@code
 * promql/engine.go}: {@code VectorBinop}, {@code VectorAnd/Or/Unless}, {@code VectorscalarBinop}):
 * one-to-one and many-to-one matching with {@code on}/{@code ignoring} and {@code
 * group_left}/{@code group_right}, its errors, {@code bool}, and which operators drop the metric
 * name. Stateless; called by the {@link Evaluator} for each step.
 */
final class BinaryOperations {
  private BinaryOperations() {}

  /**
   * The value of {@code lhs op rhs}; for comparisons the left value (NaN-free meaning is in {@link
   * #keeps}).
   */
  static double apply(BinaryOp op, double lhs, double rhs) {
    return switch (op) {
      case ADD -> lhs + rhs;
      case SUB -> lhs - rhs;
      case MUL -> lhs * rhs;
      case DIV -> lhs / rhs;
      case MOD -> lhs % rhs;
      case POW -> GoMath.pow(lhs, rhs);
      case ATAN2 -> StrictMath.atan2(lhs, rhs);
      default -> lhs;
    };
  }

  /** Whether a comparison holds; true for arithmetic operators. */
  static boolean keeps(BinaryOp op, double lhs, double rhs) {
    return switch (op) {
      case EQLC -> lhs == rhs;
      case NEQ -> lhs != rhs;
      case GTR -> lhs > rhs;
      case LSS -> lhs < rhs;
      case GTE -> lhs >= rhs;
      case LTE -> lhs <= rhs;
      default -> true;
    };
  }

  /** Prometheus's {@code shouldDropMetricName}: arithmetic except atan2 drops {@code __name__}. */
  static boolean dropsMetricName(BinaryOp op) {
    return switch (op) {
      case ADD, SUB, MUL, DIV, MOD, POW -> true;
      default -> false;
    };
  }

  /** scalar op scalar; comparisons need {@code bool} (the parser checks) and give 1 or 0. */
  static double scalarScalar(BinaryOp op, double lhs, double rhs) {
    if (op.isComparison()) {
      return keeps(op, lhs, rhs) ? 1 : 0;
    }
    return apply(op, lhs, rhs);
  }

  /**
   * vector op scalar, or scalar op vector when {@code scalarOnLeft}. A comparison keeps the vector
   * element's value, whichever side it is on.
   */
  static List<Sample> vectorScalar(
      BinaryOp op,
      List<Sample> vector,
      double scalar,
      boolean scalarOnLeft,
      boolean returnBool,
      long t) {
    List<Sample> out = new ArrayList<>(vector.size());
    for (Sample s : vector) {
      double l = scalarOnLeft ? scalar : s.value();
      double r = scalarOnLeft ? s.value() : scalar;
      double value = apply(op, l, r);
      boolean keep = keeps(op, l, r);
      if (op.isComparison()) {
        value = s.value();
      }
      if (returnBool) {
        value = keep ? 1 : 0;
        keep = true;
      }
      if (keep) {
        Labels labels = dropsMetricName(op) || returnBool ? s.labels().withoutName() : s.labels();
        out.add(new Sample(labels, t, value));
      }
    }
    return out;
  }

  /** vector op vector for arithmetic and comparison operators. */
  static List<Sample> vectorVector(
      BinaryOp op,
      List<Sample> lhs,
      List<Sample> rhs,
      VectorMatching matching,
      boolean returnBool,
      long t) {
    if (lhs.isEmpty() || rhs.isEmpty()) {
      // Nothing can match, and a side with duplicates is then no error, as in Prometheus.
      return List.of();
    }
    Cardinality card = matching.card();
    boolean swapped = card == Cardinality.ONE_TO_MANY;
    List<Sample> many = swapped ? rhs : lhs;
    List<Sample> one = swapped ? lhs : rhs;
    Map<Labels, Sample> oneBySignature = new HashMap<>(one.size() * 2);
    for (Sample s : one) {
      Labels sig = signature(s.labels(), matching);
      Sample dupl = oneBySignature.put(sig, s);
      if (dupl != null) {
        throw new PromqlEvalException(
            "found duplicate series for the match group "
                + goString(sig)
                + " on the "
                + (swapped ? "left" : "right")
                + " hand-side of the operation: ["
                + goString(s.labels())
                + ", "
                + goString(dupl.labels())
                + "];many-to-many matching not allowed: matching labels must be unique on one"
                + " side");
      }
    }
    Map<Labels, Set<Labels>> matched = new HashMap<>();
    List<Sample> out = new ArrayList<>();
    for (Sample m : many) {
      Labels sig = signature(m.labels(), matching);
      Sample o = oneBySignature.get(sig);
      if (o == null) {
        continue;
      }
      double vl = swapped ? o.value() : m.value();
      double vr = swapped ? m.value() : o.value();
      double value = apply(op, vl, vr);
      boolean keep = keeps(op, vl, vr);
      if (returnBool) {
        value = keep ? 1 : 0;
      } else if (!keep) {
        continue;
      }
      Labels metric = resultMetric(m.labels(), o.labels(), op, matching);
      if (returnBool) {
        metric = metric.withoutName();
      }
      if (card == Cardinality.ONE_TO_ONE) {
        if (matched.containsKey(sig)) {
          throw new PromqlEvalException(
              "multiple matches for labels: many-to-one matching must be explicit"
                  + " (group_left/group_right)");
        }
        matched.put(sig, Set.of());
      } else {
        Set<Labels> inserted = matched.computeIfAbsent(sig, k -> new HashSet<>());
        if (!inserted.add(metric)) {
          throw new PromqlEvalException(
              "multiple matches for labels: grouping labels must ensure unique matches");
        }
      }
      out.add(new Sample(metric, t, value));
    }
    return out;
  }

  /** Labels as Go's {@code labels.Labels.String()} writes them: {@code {__name__="a", b="c"}}. */
  static String goString(Labels labels) {
    StringBuilder sb = new StringBuilder("{");
    for (int i = 0; i < labels.size(); i++) {
      if (i > 0) {
        sb.append(", ");
      }
      sb.append(labels.nameAt(i)).append('=').append(StringLiterals.quote(labels.valueAt(i)));
    }
    return sb.append('}').toString();
  }

  /** {@code lhs and rhs}: the lhs elements that have a match on the right. */
  static List<Sample> and(List<Sample> lhs, List<Sample> rhs, VectorMatching matching) {
    if (lhs.isEmpty() || rhs.isEmpty()) {
      return List.of();
    }
    Set<Labels> right = signatures(rhs, matching);
    List<Sample> out = new ArrayList<>();
    for (Sample s : lhs) {
      if (right.contains(signature(s.labels(), matching))) {
        out.add(s);
      }
    }
    return out;
  }

  /** {@code lhs or rhs}: all lhs elements, and the rhs elements without a match on the left. */
  static List<Sample> or(List<Sample> lhs, List<Sample> rhs, VectorMatching matching) {
    if (lhs.isEmpty()) {
      return rhs;
    }
    if (rhs.isEmpty()) {
      return lhs;
    }
    Set<Labels> left = signatures(lhs, matching);
    List<Sample> out = new ArrayList<>(lhs);
    for (Sample s : rhs) {
      if (!left.contains(signature(s.labels(), matching))) {
        out.add(s);
      }
    }
    return out;
  }

  /** {@code lhs unless rhs}: the lhs elements without a match on the right. */
  static List<Sample> unless(List<Sample> lhs, List<Sample> rhs, VectorMatching matching) {
    if (lhs.isEmpty() || rhs.isEmpty()) {
      return lhs;
    }
    Set<Labels> right = signatures(rhs, matching);
    List<Sample> out = new ArrayList<>();
    for (Sample s : lhs) {
      if (!right.contains(signature(s.labels(), matching))) {
        out.add(s);
      }
    }
    return out;
  }

  private static Set<Labels> signatures(List<Sample> v, VectorMatching matching) {
    Set<Labels> set = new HashSet<>(v.size() * 2);
    for (Sample s : v) {
      set.add(signature(s.labels(), matching));
    }
    return set;
  }

  /**
   * The labels two elements must share to match: those of {@code on(...)}, or all but those of
   * {@code ignoring(...)} and the metric name.
   */
  static Labels signature(Labels labels, VectorMatching matching) {
    if (matching.on()) {
      return labels.keep(matching.labels());
    }
    Labels l = labels.withoutName();
    return matching.labels().isEmpty() ? l : l.without(matching.labels());
  }

  /** Prometheus's {@code resultMetric}: the labels of an element of a vector-vector result. */
  private static Labels resultMetric(
      Labels many, Labels one, BinaryOp op, VectorMatching matching) {
    Labels.Builder b = many.toBuilder();
    if (dropsMetricName(op)) {
      b.remove(Labels.METRIC_NAME);
    }
    if (matching.card() == Cardinality.ONE_TO_ONE) {
      if (matching.on()) {
        Labels keep = b.build().keep(matching.labels());
        b = keep.toBuilder();
      } else {
        for (String l : matching.labels()) {
          b.remove(l);
        }
      }
    }
    for (String l : matching.include()) {
      b.set(l, one.get(l));
    }
    return b.build();
  }
}
