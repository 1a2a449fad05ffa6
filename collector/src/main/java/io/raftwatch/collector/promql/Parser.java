package io.raftwatch.collector.promql;

import io.raftwatch.collector.promql.Expr.AggregateExpr;
import io.raftwatch.collector.promql.Expr.AtModifier;
import io.raftwatch.collector.promql.Expr.BinaryExpr;
import io.raftwatch.collector.promql.Expr.Call;
import io.raftwatch.collector.promql.Expr.Cardinality;
import io.raftwatch.collector.promql.Expr.MatrixSelector;
import io.raftwatch.collector.promql.Expr.NumberLiteral;
import io.raftwatch.collector.promql.Expr.ParenExpr;
import io.raftwatch.collector.promql.Expr.StringLiteral;
import io.raftwatch.collector.promql.Expr.SubqueryExpr;
import io.raftwatch.collector.promql.Expr.UnaryExpr;
import io.raftwatch.collector.promql.Expr.VectorMatching;
import io.raftwatch.collector.promql.Expr.VectorSelector;
import io.raftwatch.collector.tsdb.LabelMatcher;
import io.raftwatch.collector.tsdb.Labels;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.PatternSyntaxException;

/**
 * Parses PromQL into an {@link Expr} and type-checks it, with the grammar, precedence and error
 * messages of Prometheus's {@code promql/parser}: a recursive-descent parser whose binary levels
 * follow {@link BinaryOp#precedence}. Stateless entry point {@link #parse}; each call uses its own
 * instance, so it is safe from any thread.
 */
public final class Parser {
  private final String input;
  private final List<Token> tokens;
  private int index;

  private Parser(String input) {
    this.input = input;
    this.tokens = Lexer.tokenize(input);
  }

  /**
   * Parses and type-checks {@code query}.
   *
   * @throws PromqlParseException with the line:column of the first problem
   */
  public static Expr parse(String query) {
    Parser p = new Parser(query);
    if (p.peek().type() == TokenType.EOF) {
      throw p.error(p.peek().pos(), "no expression found in input");
    }
    Expr e = p.expr(0);
    Token t = p.peek();
    if (t.type() != TokenType.EOF) {
      throw p.unexpected(t, "");
    }
    return e;
  }

  /**
   * Parses a series description such as {@code up{job="etcd"}} into labels, as the test-script
   * language and promtool's {@code input_series} write them.
   */
  public static Labels parseSeriesLabels(String text) {
    Expr e = parse(text);
    if (!(e instanceof VectorSelector vs) || vs.offsetMillis() != 0 || vs.at() != null) {
      throw new PromqlParseException(text, 0, "expected a series description, got " + text);
    }
    Labels.Builder b = Labels.builder();
    for (LabelMatcher m : vs.matchers()) {
      if (m.type() != LabelMatcher.Type.EQ) {
        throw new PromqlParseException(text, 0, "series descriptions take only = matchers: " + m);
      }
      b.set(m.name(), m.value());
    }
    return b.build();
  }

  // ---- Binary operators, by precedence climbing.

  private Expr expr(int minPrecedence) {
    Expr lhs = unary();
    while (true) {
      Token t = peek();
      BinaryOp op = BinaryOp.of(t.type());
      if (op == null || op.precedence < minPrecedence) {
        return lhs;
      }
      index++;
      boolean returnBool = false;
      if (peek().type() == TokenType.BOOL) {
        index++;
        returnBool = true;
      }
      VectorMatching matching = vectorMatching(op);
      Expr rhs = expr(op.isRightAssociative() ? op.precedence : op.precedence + 1);
      lhs = checkBinary(new BinaryExpr(op, lhs, rhs, matching, returnBool, lhs.position()), t);
    }
  }

  private VectorMatching vectorMatching(BinaryOp op) {
    boolean on = false;
    List<String> labels = List.of();
    Cardinality card = op.isSetOperator() ? Cardinality.MANY_TO_MANY : Cardinality.ONE_TO_ONE;
    List<String> include = List.of();
    TokenType t = peek().type();
    if (t == TokenType.ON || t == TokenType.IGNORING) {
      index++;
      on = t == TokenType.ON;
      labels = labelList();
      TokenType g = peek().type();
      if (g == TokenType.GROUP_LEFT || g == TokenType.GROUP_RIGHT) {
        index++;
        card = g == TokenType.GROUP_LEFT ? Cardinality.MANY_TO_ONE : Cardinality.ONE_TO_MANY;
        if (peek().type() == TokenType.LEFT_PAREN) {
          include = labelList();
        }
      }
    }
    return new VectorMatching(card, on, labels, include);
  }

  private Expr checkBinary(BinaryExpr b, Token opToken) {
    BinaryOp op = b.op();
    ValueType lt = b.lhs().type();
    ValueType rt = b.rhs().type();
    int opPos = opToken.pos();
    if (b.returnBool() && !op.isComparison()) {
      throw error(opPos, "bool modifier can only be used on comparison operators");
    }
    if (op.isComparison() && !b.returnBool() && lt == ValueType.SCALAR && rt == ValueType.SCALAR) {
      throw error(opPos, "comparisons between scalars must use BOOL modifier");
    }
    VectorMatching m = b.matching();
    if (m.on()) {
      for (String l : m.labels()) {
        if (m.include().contains(l)) {
          throw error(
              opPos,
              "label "
                  + StringLiterals.quote(l)
                  + " must not occur in ON and GROUP clause at once");
        }
      }
    }
    if (lt != ValueType.SCALAR && lt != ValueType.INSTANT_VECTOR) {
      throw error(
          b.lhs().position(),
          "binary expression must contain only scalar and instant vector types");
    }
    if (rt != ValueType.SCALAR && rt != ValueType.INSTANT_VECTOR) {
      throw error(
          b.rhs().position(),
          "binary expression must contain only scalar and instant vector types");
    }
    if (lt != ValueType.INSTANT_VECTOR || rt != ValueType.INSTANT_VECTOR) {
      if (!m.labels().isEmpty()) {
        throw error(b.position(), "vector matching only allowed between instant vectors");
      }
      m = null;
    } else if (op.isSetOperator() && m.card() != Cardinality.MANY_TO_MANY) {
      throw error(
          b.position(),
          "no grouping allowed for " + StringLiterals.quote(op.symbol()) + " operation");
    }
    if ((lt == ValueType.SCALAR || rt == ValueType.SCALAR) && op.isSetOperator()) {
      throw error(
          b.position(),
          "set operator "
              + StringLiterals.quote(op.symbol())
              + " not allowed in binary scalar expression");
    }
    return new BinaryExpr(op, b.lhs(), b.rhs(), m, b.returnBool(), b.position());
  }

  // ---- Unary operators and postfix modifiers.

  private Expr unary() {
    Token t = peek();
    if (t.type() == TokenType.ADD || t.type() == TokenType.SUB) {
      index++;
      // Unary binds like '*' in Prometheus's grammar: only '^' binds tighter.
      Expr operand = expr(BinaryOp.POW.precedence);
      boolean negative = t.type() == TokenType.SUB;
      if (operand instanceof NumberLiteral n) {
        return new NumberLiteral(negative ? -n.value() : n.value(), t.pos());
      }
      ValueType type = operand.type();
      if (type != ValueType.SCALAR && type != ValueType.INSTANT_VECTOR) {
        throw error(
            t.pos(),
            "unary expression only allowed on expressions of type scalar or instant vector, got "
                + StringLiterals.quote(type.documentedName()));
      }
      return new UnaryExpr(negative, operand, t.pos());
    }
    return postfix(primary());
  }

  private Expr postfix(Expr e) {
    while (true) {
      Token t = peek();
      switch (t.type()) {
        case LEFT_BRACKET -> e = rangeOrSubquery(e, t);
        case OFFSET -> e = offset(e);
        case AT -> e = at(e);
        default -> {
          return e;
        }
      }
    }
  }

  private Expr rangeOrSubquery(Expr e, Token bracket) {
    index++;
    Token rangeTok = expect(TokenType.DURATION, "in subquery or range selector");
    long range = duration(rangeTok);
    if (peek().type() == TokenType.COLON) {
      index++;
      long step = 0;
      if (peek().type() == TokenType.DURATION) {
        step = duration(next());
      }
      expect(TokenType.RIGHT_BRACKET, "in subquery selector");
      if (e.type() != ValueType.INSTANT_VECTOR) {
        throw error(
            e.position(),
            "subquery is only allowed on instant vector, got "
                + e.type().internalName()
                + " instead");
      }
      return new SubqueryExpr(e, range, step, 0, null, e.position());
    }
    expect(TokenType.RIGHT_BRACKET, "in range selector");
    if (!(e instanceof VectorSelector vs)) {
      throw error(bracket.pos(), "ranges only allowed for vector selectors");
    }
    if (vs.offsetMillis() != 0) {
      throw error(bracket.pos(), "no offset modifiers allowed before range");
    }
    if (vs.at() != null) {
      throw error(bracket.pos(), "no @ modifiers allowed before range");
    }
    return new MatrixSelector(vs, range, e.position());
  }

  private Expr offset(Expr e) {
    index++;
    boolean negative = false;
    if (peek().type() == TokenType.SUB || peek().type() == TokenType.ADD) {
      negative = next().type() == TokenType.SUB;
    }
    long off = duration(expect(TokenType.DURATION, "in offset"));
    if (negative) {
      off = -off;
    }
    return modify(e, off, null);
  }

  private Expr at(Expr e) {
    index++;
    return modify(e, 0, atModifier());
  }

  /** Sets an offset (when {@code at} is null) or an {@code @} on a selector or subquery. */
  private Expr modify(Expr e, long off, AtModifier at) {
    String what = at == null ? "offset" : "@";
    String already =
        at == null
            ? "offset may not be set multiple times"
            : "@ <timestamp> may not be set multiple times";
    VectorSelector vs = null;
    if (e instanceof VectorSelector v) {
      vs = v;
    } else if (e instanceof MatrixSelector ms) {
      vs = ms.selector();
    } else if (e instanceof SubqueryExpr sq) {
      if (at == null ? sq.offsetMillis() != 0 : sq.at() != null) {
        throw error(e.position(), already);
      }
      return at == null
          ? new SubqueryExpr(
              sq.expr(), sq.rangeMillis(), sq.stepMillis(), off, sq.at(), sq.position())
          : new SubqueryExpr(
              sq.expr(), sq.rangeMillis(), sq.stepMillis(), sq.offsetMillis(), at, sq.position());
    } else {
      throw error(
          e.position(),
          what
              + " modifier must be preceded by an instant vector selector or range vector selector"
              + " or a subquery");
    }
    if (at == null ? vs.offsetMillis() != 0 : vs.at() != null) {
      throw error(e.position(), already);
    }
    VectorSelector modified =
        at == null
            ? new VectorSelector(vs.name(), vs.matchers(), off, vs.at(), vs.position())
            : new VectorSelector(vs.name(), vs.matchers(), vs.offsetMillis(), at, vs.position());
    return e instanceof MatrixSelector ms
        ? new MatrixSelector(modified, ms.rangeMillis(), ms.position())
        : modified;
  }

  private AtModifier atModifier() {
    Token t = peek();
    if (t.type() == TokenType.IDENTIFIER && (t.text().equals("start") || t.text().equals("end"))) {
      index++;
      expect(TokenType.LEFT_PAREN, "in @");
      expect(TokenType.RIGHT_PAREN, "in @");
      return new AtModifier(
          t.text().equals("start") ? AtModifier.Kind.START : AtModifier.Kind.END, 0);
    }
    boolean negative = false;
    if (t.type() == TokenType.SUB || t.type() == TokenType.ADD) {
      index++;
      negative = t.type() == TokenType.SUB;
    }
    Token num = expect(TokenType.NUMBER, "in @");
    double seconds = GoNumbers.parsePromqlNumber(num.text());
    if (negative) {
      seconds = -seconds;
    }
    if (Double.isNaN(seconds)
        || Double.isInfinite(seconds)
        || seconds >= Long.MAX_VALUE / 1000.0
        || seconds <= Long.MIN_VALUE / 1000.0) {
      throw error(num.pos(), "timestamp out of bounds for @ modifier: " + seconds);
    }
    return new AtModifier(AtModifier.Kind.TIMESTAMP, Math.round(seconds * 1000));
  }

  // ---- Primary expressions.

  private Expr primary() {
    Token t = peek();
    switch (t.type()) {
      case NUMBER -> {
        index++;
        return new NumberLiteral(GoNumbers.parsePromqlNumber(t.text()), t.pos());
      }
      case STRING -> {
        index++;
        return new StringLiteral(unquote(t), t.pos());
      }
      case LEFT_PAREN -> {
        index++;
        Expr inner = expr(0);
        expect(TokenType.RIGHT_PAREN, "in parenthesized expression");
        return new ParenExpr(inner, t.pos());
      }
      case LEFT_BRACE -> {
        return vectorSelector("", t.pos());
      }
      case AGGREGATOR -> {
        TokenType after = peekAt(1).type();
        if (after == TokenType.LEFT_PAREN || after == TokenType.BY || after == TokenType.WITHOUT) {
          return aggregation();
        }
        index++;
        return vectorSelector(t.text(), t.pos());
      }
      case IDENTIFIER -> {
        index++;
        if (peek().type() == TokenType.LEFT_PAREN) {
          return call(t);
        }
        return vectorSelector(t.text(), t.pos());
      }
      case METRIC_IDENTIFIER -> {
        index++;
        return vectorSelector(t.text(), t.pos());
      }
      default -> throw unexpected(t, "");
    }
  }

  private Expr vectorSelector(String name, int pos) {
    List<LabelMatcher> matchers = new ArrayList<>();
    if (!name.isEmpty()) {
      matchers.add(LabelMatcher.eq(Labels.METRIC_NAME, name));
    }
    if (peek().type() == TokenType.LEFT_BRACE) {
      index++;
      while (peek().type() != TokenType.RIGHT_BRACE) {
        Token label = next();
        if (!isLabelName(label)) {
          throw unexpected(label, " in label matching, expected label");
        }
        Token op = next();
        LabelMatcher.Type type =
            switch (op.type()) {
              case ASSIGN -> LabelMatcher.Type.EQ;
              case NEQ -> LabelMatcher.Type.NEQ;
              case EQL_REGEX -> LabelMatcher.Type.RE;
              case NEQ_REGEX -> LabelMatcher.Type.NRE;
              default ->
                  throw unexpected(op, " in label matching, expected label matching operator");
            };
        Token value = next();
        if (value.type() != TokenType.STRING) {
          throw unexpected(value, " in label matching, expected string");
        }
        if (label.text().equals(Labels.METRIC_NAME) && !name.isEmpty()) {
          throw error(
              pos,
              "metric name must not be set twice: "
                  + StringLiterals.quote(name)
                  + " or "
                  + StringLiterals.quote(unquote(value)));
        }
        try {
          matchers.add(new LabelMatcher(type, label.text(), unquote(value)));
        } catch (PatternSyntaxException e) {
          throw error(
              label.pos(),
              "error parsing regexp: " + e.getDescription() + ": `" + unquote(value) + "`");
        }
        Token sep = peek();
        if (sep.type() == TokenType.COMMA) {
          index++;
        } else if (sep.type() != TokenType.RIGHT_BRACE) {
          throw unexpected(sep, " in label matching, expected \",\" or \"}\"");
        }
      }
      index++;
    }
    if (matchers.stream().allMatch(LabelMatcher::matchesEmpty)) {
      throw error(pos, "vector selector must contain at least one non-empty matcher");
    }
    return new VectorSelector(name, matchers, 0, null, pos);
  }

  private Expr aggregation() {
    Token opTok = next();
    AggregationOp op = AggregationOp.byName(opTok.text().toLowerCase(java.util.Locale.ROOT));
    List<String> grouping = List.of();
    boolean without = false;
    boolean groupingSeen = false;
    if (peek().type() == TokenType.BY || peek().type() == TokenType.WITHOUT) {
      without = next().type() == TokenType.WITHOUT;
      grouping = labelList();
      groupingSeen = true;
    }
    expect(TokenType.LEFT_PAREN, "in aggregation");
    List<Expr> args = arguments();
    if (!groupingSeen && (peek().type() == TokenType.BY || peek().type() == TokenType.WITHOUT)) {
      without = next().type() == TokenType.WITHOUT;
      grouping = labelList();
    }
    int want = op.hasParameter() ? 2 : 1;
    if (args.size() != want) {
      throw error(
          opTok.pos(),
          "wrong number of arguments for aggregate expression provided, expected "
              + want
              + ", got "
              + args.size());
    }
    Expr param = op.hasParameter() ? args.get(0) : null;
    Expr body = args.get(args.size() - 1);
    if (param != null) {
      ValueType wantParam = op == AggregationOp.COUNT_VALUES ? ValueType.STRING : ValueType.SCALAR;
      expectType(param, wantParam, "aggregation parameter");
    }
    expectType(body, ValueType.INSTANT_VECTOR, "aggregation expression");
    return new AggregateExpr(op, body, param, grouping, without, opTok.pos());
  }

  private Expr call(Token name) {
    Function f = Function.byName(name.text());
    if (f == null) {
      throw error(name.pos(), "unknown function with name " + StringLiterals.quote(name.text()));
    }
    index++; // the '('
    List<Expr> args = arguments();
    int declared = f.argTypes().size();
    int n = args.size();
    String fn = StringLiterals.quote(f.promqlName());
    if (f.variadic() == 0 && n != declared) {
      throw error(
          name.pos(), "expected " + declared + " argument(s) in call to " + fn + ", got " + n);
    }
    if (f.variadic() > 0) {
      int min = declared - f.variadic();
      if (n < min) {
        throw error(
            name.pos(),
            "expected at least " + min + " argument(s) in call to " + fn + ", got " + n);
      }
      if (n > declared) {
        throw error(
            name.pos(),
            "expected at most " + declared + " argument(s) in call to " + fn + ", got " + n);
      }
    }
    if (f.variadic() < 0 && n < declared - 1) {
      throw error(
          name.pos(),
          "expected at least " + (declared - 1) + " argument(s) in call to " + fn + ", got " + n);
    }
    for (int i = 0; i < n; i++) {
      ValueType want = f.argTypes().get(Math.min(i, declared - 1));
      expectType(args.get(i), want, "call to function " + fn);
    }
    return new Call(f, args, name.pos());
  }

  /**
   * Comma-separated expressions up to the closing ')', which it consumes; a trailing comma is
   * allowed.
   */
  private List<Expr> arguments() {
    List<Expr> args = new ArrayList<>();
    while (peek().type() != TokenType.RIGHT_PAREN) {
      args.add(expr(0));
      Token sep = peek();
      if (sep.type() == TokenType.COMMA) {
        index++;
      } else if (sep.type() != TokenType.RIGHT_PAREN) {
        throw unexpected(sep, ", expected \",\" or \")\"");
      }
    }
    index++;
    return args;
  }

  /** A parenthesized label list {@code (a, b,)}, as after by, without, on, ignoring, group_x. */
  private List<String> labelList() {
    expect(TokenType.LEFT_PAREN, "in grouping opts");
    List<String> labels = new ArrayList<>();
    while (peek().type() != TokenType.RIGHT_PAREN) {
      Token l = next();
      if (!isLabelName(l)) {
        throw unexpected(l, " in grouping opts, expected label");
      }
      labels.add(l.text());
      Token sep = peek();
      if (sep.type() == TokenType.COMMA) {
        index++;
      } else if (sep.type() != TokenType.RIGHT_PAREN) {
        throw unexpected(sep, " in grouping opts, expected \",\" or \")\"");
      }
    }
    index++;
    return labels;
  }

  // ---- Token plumbing.

  private void expectType(Expr e, ValueType want, String context) {
    if (e.type() != want) {
      throw error(
          e.position(),
          "expected type "
              + want.documentedName()
              + " in "
              + context
              + ", got "
              + e.type().documentedName());
    }
  }

  private long duration(Token t) {
    try {
      return PromDuration.parseMillis(t.text());
    } catch (IllegalArgumentException | ArithmeticException e) {
      throw error(t.pos(), e.getMessage());
    }
  }

  private String unquote(Token t) {
    try {
      return StringLiterals.unquote(t.text());
    } catch (IllegalArgumentException e) {
      throw error(t.pos(), "invalid syntax in string " + t.text());
    }
  }

  /** Whether a token can name a label: identifiers and keywords, and words lexed as Inf/NaN. */
  private static boolean isLabelName(Token t) {
    if (t.type() == TokenType.NUMBER) {
      return Lexer.isAlpha(t.text().charAt(0));
    }
    return t.type().isKeywordLike() && t.type() != TokenType.METRIC_IDENTIFIER;
  }

  static boolean isValidLabelName(String s) {
    if (s.isEmpty() || !Lexer.isAlpha(s.charAt(0))) {
      return false;
    }
    return s.chars().allMatch(c -> Lexer.isAlphaNumeric((char) c));
  }

  private Token peek() {
    Token t = tokens.get(index);
    if (t.type() == TokenType.ERROR) {
      throw error(t.pos(), t.text());
    }
    return t;
  }

  private Token peekAt(int ahead) {
    return tokens.get(Math.min(index + ahead, tokens.size() - 1));
  }

  private Token next() {
    Token t = peek();
    if (t.type() != TokenType.EOF) {
      index++;
    }
    return t;
  }

  private Token expect(TokenType type, String context) {
    Token t = peek();
    if (t.type() != type) {
      throw unexpected(t, " " + context + ", expected " + type.description);
    }
    index++;
    return t;
  }

  private PromqlParseException unexpected(Token t, String context) {
    return error(t.pos(), "unexpected " + t.describe() + context);
  }

  private PromqlParseException error(int pos, String message) {
    return new PromqlParseException(input, pos, message);
  }
}
