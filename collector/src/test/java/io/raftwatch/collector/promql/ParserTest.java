package io.raftwatch.collector.promql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.raftwatch.collector.promql.Expr.AggregateExpr;
import io.raftwatch.collector.promql.Expr.BinaryExpr;
import io.raftwatch.collector.promql.Expr.Call;
import io.raftwatch.collector.promql.Expr.Cardinality;
import io.raftwatch.collector.promql.Expr.MatrixSelector;
import io.raftwatch.collector.promql.Expr.NumberLiteral;
import io.raftwatch.collector.promql.Expr.SubqueryExpr;
import io.raftwatch.collector.promql.Expr.UnaryExpr;
import io.raftwatch.collector.promql.Expr.VectorSelector;
import io.raftwatch.collector.tsdb.LabelMatcher;
import org.junit.jupiter.api.Test;

/**
 * The shape of parsed trees: precedence, associativity, modifiers, durations. Error messages are
 * checked against promtool in parse_errors.test; here only what the scripts cannot show.
 */
class ParserTest {
  @Test
  void powerIsRightAssociativeAndBindsTighterThanUnaryMinus() {
    BinaryExpr e = (BinaryExpr) Parser.parse("2 ^ 3 ^ 2");
    assertThat(e.lhs()).isEqualTo(new NumberLiteral(2, 0));
    assertThat(e.rhs()).isInstanceOf(BinaryExpr.class);
    UnaryExpr u = (UnaryExpr) Parser.parse("-a ^ 2");
    assertThat(u.expr()).isInstanceOf(BinaryExpr.class);
  }

  @Test
  void unaryMinusBindsLikeMultiplication() {
    BinaryExpr e = (BinaryExpr) Parser.parse("-a * b");
    assertThat(e.op()).isEqualTo(BinaryOp.MUL);
    assertThat(e.lhs()).isInstanceOf(UnaryExpr.class);
  }

  @Test
  void orBindsLoosestThenAndUnlessThenComparisons() {
    BinaryExpr e = (BinaryExpr) Parser.parse("a or b and c > 1 + 2 * 3");
    assertThat(e.op()).isEqualTo(BinaryOp.OR);
    BinaryExpr and = (BinaryExpr) e.rhs();
    assertThat(and.op()).isEqualTo(BinaryOp.AND);
    BinaryExpr gt = (BinaryExpr) and.rhs();
    assertThat(gt.op()).isEqualTo(BinaryOp.GTR);
    assertThat(((BinaryExpr) gt.rhs()).op()).isEqualTo(BinaryOp.ADD);
  }

  @Test
  void minusIsLeftAssociative() {
    BinaryExpr e = (BinaryExpr) Parser.parse("a - b - c");
    assertThat(e.lhs()).isInstanceOf(BinaryExpr.class);
  }

  @Test
  void vectorMatchingModifiersAreRecorded() {
    BinaryExpr e = (BinaryExpr) Parser.parse("a / ignoring(x, y) group_right(z) b");
    assertThat(e.matching().on()).isFalse();
    assertThat(e.matching().labels()).containsExactly("x", "y");
    assertThat(e.matching().card()).isEqualTo(Cardinality.ONE_TO_MANY);
    assertThat(e.matching().include()).containsExactly("z");
  }

  @Test
  void groupingMayComeBeforeOrAfterTheBody() {
    AggregateExpr before = (AggregateExpr) Parser.parse("sum without (a, b,) (x)");
    AggregateExpr after = (AggregateExpr) Parser.parse("sum(x) without (a, b)");
    assertThat(before.without()).isTrue();
    assertThat(before.grouping()).isEqualTo(after.grouping());
  }

  @Test
  void compositeDurationsParse() {
    MatrixSelector m = (MatrixSelector) Parser.parse("x[1h30m]");
    assertThat(m.rangeMillis()).isEqualTo(90 * 60_000L);
    SubqueryExpr s = (SubqueryExpr) Parser.parse("rate(x[5m])[1d:30s] offset 1w");
    assertThat(s.rangeMillis()).isEqualTo(86_400_000L);
    assertThat(s.stepMillis()).isEqualTo(30_000L);
    assertThat(s.offsetMillis()).isEqualTo(7 * 86_400_000L);
  }

  @Test
  void atModifierTakesSecondsOrStartOrEnd() {
    VectorSelector v = (VectorSelector) Parser.parse("x @ 1609746000.5");
    assertThat(v.at())
        .isEqualTo(new Expr.AtModifier(Expr.AtModifier.Kind.TIMESTAMP, 1_609_746_000_500L));
    VectorSelector e = (VectorSelector) Parser.parse("x @ end() offset -1m");
    assertThat(e.at().kind()).isEqualTo(Expr.AtModifier.Kind.END);
    assertThat(e.offsetMillis()).isEqualTo(-60_000L);
  }

  @Test
  void selectorKeepsTheNameAsAMatcher() {
    VectorSelector v =
        (VectorSelector) Parser.parse("etcd_server_has_leader{job=~\"etcd.*\", on=\"x\",}");
    assertThat(v.matchers())
        .containsExactly(
            LabelMatcher.eq("__name__", "etcd_server_has_leader"),
            LabelMatcher.re("job", "etcd.*"),
            LabelMatcher.eq("on", "x"));
  }

  @Test
  void commentsAndNewlinesAreSkipped() {
    Call c = (Call) Parser.parse("rate( # per second\n  x[5m]\n)");
    assertThat(c.function()).isEqualTo(Function.RATE);
  }

  @Test
  void stringEscapesFollowGo() {
    Expr e = Parser.parse("label_replace(x, \"a\", \"\\u00e9\\t\", 'b', `c\\d`)");
    Call c = (Call) e;
    assertThat(((Expr.StringLiteral) c.args().get(2)).value()).isEqualTo("é\t");
    assertThat(((Expr.StringLiteral) c.args().get(4)).value()).isEqualTo("c\\d");
  }

  @Test
  void errorPositionCountsLinesAndColumns() {
    assertThatThrownBy(() -> Parser.parse("sum(\n  rate(x)\n)"))
        .isInstanceOfSatisfying(
            PromqlParseException.class,
            e -> {
              assertThat(e.line()).isEqualTo(2);
              assertThat(e.column()).isEqualTo(8);
              assertThat(e.getMessage())
                  .isEqualTo(
                      "2:8: parse error: expected type range vector in call to function \"rate\","
                          + " got instant vector");
            });
  }
}
