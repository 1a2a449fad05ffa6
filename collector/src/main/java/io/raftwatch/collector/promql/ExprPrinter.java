package io.raftwatch.collector.promql;

import io.raftwatch.collector.tsdb.LabelMatcher;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Writes an {@link Expr} back as PromQL text the way Prometheus 2.42's {@code
 * promql/parser/printer.go} does ({@code String()} of a node): {@code sum by (job) (rate(x[5m]))},
 * matchers sorted, the metric-name matcher folded into the name, {@code offset} and {@code @}
 * after the range. It is what Prometheus's {@code /api/v1/rules} shows as a rule's {@code query};
 * the web package calls it for the same. Stateless.
 */
public final class ExprPrinter {
  private ExprPrinter() {}

  /** {@code expr} as PromQL. */
  public static String print(Expr expr) {
    if (expr instanceof Expr.NumberLiteral n) {
      return number(n.value());
    } else if (expr instanceof Expr.StringLiteral s) {
      return StringLiterals.quote(s.value());
    } else if (expr instanceof Expr.VectorSelector v) {
      return selector(v) + at(v.at()) + offset(v.offsetMillis());
    } else if (expr instanceof Expr.MatrixSelector m) {
      Expr.VectorSelector v = m.selector();
      return selector(v) + "[" + PromDuration.format(m.rangeMillis()) + "]" + at(v.at())
          + offset(v.offsetMillis());
    } else if (expr instanceof Expr.SubqueryExpr s) {
      String step = s.stepMillis() == 0 ? "" : PromDuration.format(s.stepMillis());
      return print(s.expr()) + "[" + PromDuration.format(s.rangeMillis()) + ":" + step + "]"
          + at(s.at()) + offset(s.offsetMillis());
    } else if (expr instanceof Expr.UnaryExpr u) {
      return (u.negative() ? "-" : "+") + print(u.expr());
    } else if (expr instanceof Expr.ParenExpr p) {
      return "(" + print(p.expr()) + ")";
    } else if (expr instanceof Expr.BinaryExpr b) {
      return print(b.lhs()) + " " + b.op().symbol() + (b.returnBool() ? " bool" : "")
          + matching(b.matching()) + " " + print(b.rhs());
    } else if (expr instanceof Expr.AggregateExpr a) {
      StringBuilder sb = new StringBuilder(a.op().promqlName());
      if (a.without()) {
        sb.append(" without (").append(String.join(", ", a.grouping())).append(") ");
      } else if (!a.grouping().isEmpty()) {
        sb.append(" by (").append(String.join(", ", a.grouping())).append(") ");
      }
      sb.append('(');
      if (a.param() != null) {
        sb.append(print(a.param())).append(", ");
      }
      return sb.append(print(a.expr())).append(')').toString();
    } else if (expr instanceof Expr.Call c) {
      List<String> args = new ArrayList<>();
      for (Expr e : c.args()) {
        args.add(print(e));
      }
      return c.function().promqlName() + "(" + String.join(", ", args) + ")";
    }
    throw new IllegalArgumentException("unknown expression node " + expr.getClass());
  }

  /**
   * Go's {@code fmt.Sprint} of a float64, {@code strconv.FormatFloat(v, 'g', -1, 64)}: the
   * shortest digits, with an exponent when it is below -4 or at least 6 ({@code 1.048576e+08}).
   */
  static String number(double v) {
    if (Double.isNaN(v) || Double.isInfinite(v) || v == 0) {
      return GoNumbers.formatF(v);
    }
    String e = GoNumbers.formatE(v);
    int exp = Integer.parseInt(e.substring(e.indexOf('e') + 1));
    return exp >= -4 && exp < 6 ? GoNumbers.formatF(v) : e;
  }

  private static String selector(Expr.VectorSelector v) {
    List<String> matchers = new ArrayList<>();
    for (LabelMatcher m : v.matchers()) {
      if (m.name().equals("__name__") && m.type() == LabelMatcher.Type.EQ
          && m.value().equals(v.name())) {
        continue;
      }
      matchers.add(m.name() + m.type().operator() + StringLiterals.quote(m.value()));
    }
    if (matchers.isEmpty()) {
      return v.name();
    }
    matchers.sort(null);
    return v.name() + "{" + String.join(",", matchers) + "}";
  }

  private static String at(Expr.AtModifier at) {
    if (at == null) {
      return "";
    }
    return switch (at.kind()) {
      case START -> " @ start()";
      case END -> " @ end()";
      case TIMESTAMP -> String.format(Locale.ROOT, " @ %.3f", at.timestampMillis() / 1000.0);
    };
  }

  private static String offset(long millis) {
    if (millis > 0) {
      return " offset " + PromDuration.format(millis);
    } else if (millis < 0) {
      return " offset -" + PromDuration.format(-millis);
    }
    return "";
  }

  private static String matching(Expr.VectorMatching m) {
    if (m == null || (m.labels().isEmpty() && !m.on())) {
      return "";
    }
    String s = " " + (m.on() ? "on" : "ignoring") + " (" + String.join(", ", m.labels()) + ")";
    if (m.card() == Expr.Cardinality.MANY_TO_ONE || m.card() == Expr.Cardinality.ONE_TO_MANY) {
      s += " group_" + (m.card() == Expr.Cardinality.MANY_TO_ONE ? "left" : "right") + " ("
          + String.join(", ", m.include()) + ")";
    }
    return s;
  }
}
