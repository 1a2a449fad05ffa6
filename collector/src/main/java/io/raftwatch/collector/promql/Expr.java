package io.raftwatch.collector.promql;

import io.raftwatch.collector.tsdb.LabelMatcher;
import java.util.ArrayList;
import java.util.List;

/**
 * A parsed PromQL expression: the abstract syntax tree {@link Parser#parse} returns. Nodes are
 * immutable records; {@link #position()} is the offset of the node's first character in the query
 * text, for error messages. Callers such as the rules engine use {@link #type()} to check what a
 * rule yields and {@link #selectors()} to see which series it reads.
 */
public sealed interface Expr {
  /** The type this expression evaluates to. */
  ValueType type();

  /** Offset of the first character of this expression in the query, 0-based. */
  int position();

  /** The direct sub-expressions, left to right. */
  List<Expr> children();

  /** Every vector selector in this expression (those inside range selectors too), left to right. */
  default List<VectorSelector> selectors() {
    List<VectorSelector> out = new ArrayList<>();
    collectSelectors(this, out);
    return out;
  }

  private static void collectSelectors(Expr e, List<VectorSelector> out) {
    if (e instanceof VectorSelector vs) {
      out.add(vs);
    }
    for (Expr c : e.children()) {
      collectSelectors(c, out);
    }
  }

  /** A number such as {@code 1}, {@code 1e3}, {@code 0x1f}, {@code Inf}. */
  record NumberLiteral(double value, int position) implements Expr {
    @Override
    public ValueType type() {
      return ValueType.SCALAR;
    }

    @Override
    public List<Expr> children() {
      return List.of();
    }
  }

  /** A string literal, unquoted. */
  record StringLiteral(String value, int position) implements Expr {
    @Override
    public ValueType type() {
      return ValueType.STRING;
    }

    @Override
    public List<Expr> children() {
      return List.of();
    }
  }

  /**
   * How an {@code @} modifier fixes the evaluation time: at a timestamp, or at the query's {@code
   * start()} or {@code end()}.
   */
  record AtModifier(Kind kind, long timestampMillis) {
    /** The three forms of {@code @}. */
    public enum Kind {
      TIMESTAMP,
      START,
      END
    }
  }

  /**
   * An instant vector selector {@code name{matchers} offset d @ t}. {@code matchers} includes the
   * {@code __name__} matcher for {@code name}; {@code name} is "" when the selector gives none.
   *
   * @param offsetMillis the {@code offset} modifier; negative offsets look forward
   * @param at the {@code @} modifier, or null when there is none
   */
  record VectorSelector(
      String name, List<LabelMatcher> matchers, long offsetMillis, AtModifier at, int position)
      implements Expr {
    public VectorSelector {
      matchers = List.copyOf(matchers);
    }

    @Override
    public ValueType type() {
      return ValueType.INSTANT_VECTOR;
    }

    @Override
    public List<Expr> children() {
      return List.of();
    }
  }

  /** A range vector selector {@code sel[range]}; its offset and {@code @} live on the selector. */
  record MatrixSelector(VectorSelector selector, long rangeMillis, int position) implements Expr {
    @Override
    public ValueType type() {
      return ValueType.RANGE_VECTOR;
    }

    @Override
    public List<Expr> children() {
      return List.of(selector);
    }
  }

  /**
   * A subquery {@code expr[range:step]}.
   *
   * @param stepMillis the resolution, or 0 for the default (the evaluation interval)
   * @param at the {@code @} modifier, or null when there is none
   */
  record SubqueryExpr(
      Expr expr, long rangeMillis, long stepMillis, long offsetMillis, AtModifier at, int position)
      implements Expr {
    @Override
    public ValueType type() {
      return ValueType.RANGE_VECTOR;
    }

    @Override
    public List<Expr> children() {
      return List.of(expr);
    }
  }

  /** A unary {@code -expr} (negative) or {@code +expr}. */
  record UnaryExpr(boolean negative, Expr expr, int position) implements Expr {
    @Override
    public ValueType type() {
      return expr.type();
    }

    @Override
    public List<Expr> children() {
      return List.of(expr);
    }
  }

  /** An expression in parentheses. */
  record ParenExpr(Expr expr, int position) implements Expr {
    @Override
    public ValueType type() {
      return expr.type();
    }

    @Override
    public List<Expr> children() {
      return List.of(expr);
    }
  }

  /**
   * A binary operation.
   *
   * @param matching how vector elements pair up; null unless both sides are instant vectors
   * @param returnBool whether a comparison has the {@code bool} modifier
   */
  record BinaryExpr(
      BinaryOp op, Expr lhs, Expr rhs, VectorMatching matching, boolean returnBool, int position)
      implements Expr {
    @Override
    public ValueType type() {
      return lhs.type() == ValueType.SCALAR && rhs.type() == ValueType.SCALAR
          ? ValueType.SCALAR
          : ValueType.INSTANT_VECTOR;
    }

    @Override
    public List<Expr> children() {
      return List.of(lhs, rhs);
    }
  }

  /**
   * The vector-matching clause of a binary operation.
   *
   * @param on true for {@code on(labels)}, false for {@code ignoring(labels)} or no clause
   * @param labels the labels of {@code on} or {@code ignoring}
   * @param include the extra labels of {@code group_left(...)} or {@code group_right(...)}
   */
  record VectorMatching(Cardinality card, boolean on, List<String> labels, List<String> include) {
    public VectorMatching {
      labels = List.copyOf(labels);
      include = List.copyOf(include);
    }
  }

  /** Which side of a vector match may have several elements per match group. */
  enum Cardinality {
    ONE_TO_ONE,
    MANY_TO_ONE,
    ONE_TO_MANY,
    MANY_TO_MANY
  }

  /**
   * An aggregation {@code op by|without (grouping) ([param,] expr)}.
   *
   * @param param the parameter of topk, bottomk, quantile and count_values, else null
   * @param without true for {@code without}, false for {@code by} or no clause
   */
  record AggregateExpr(
      AggregationOp op, Expr expr, Expr param, List<String> grouping, boolean without, int position)
      implements Expr {
    public AggregateExpr {
      grouping = List.copyOf(grouping);
    }

    @Override
    public ValueType type() {
      return ValueType.INSTANT_VECTOR;
    }

    @Override
    public List<Expr> children() {
      return param == null ? List.of(expr) : List.of(param, expr);
    }
  }

  /** A function call. */
  record Call(Function function, List<Expr> args, int position) implements Expr {
    public Call {
      args = List.copyOf(args);
    }

    @Override
    public ValueType type() {
      return function.returnType();
    }

    @Override
    public List<Expr> children() {
      return args;
    }
  }
}
