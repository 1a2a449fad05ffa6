package io.raftwatch.collector.promql;

/**
 * The PromQL binary operators with their precedence and associativity, as in Prometheus's grammar
 * ({@code generated_parser.y}): {@code or} binds loosest, then {@code and unless}, the comparisons,
 * {@code + -}, {@code * / % atan2}, and {@code ^} tightest and right-associative.
 */
public enum BinaryOp {
  ADD("+", 4),
  SUB("-", 4),
  MUL("*", 5),
  DIV("/", 5),
  MOD("%", 5),
  ATAN2("atan2", 5),
  POW("^", 6),
  EQLC("==", 3),
  NEQ("!=", 3),
  GTR(">", 3),
  LSS("<", 3),
  GTE(">=", 3),
  LTE("<=", 3),
  AND("and", 2),
  UNLESS("unless", 2),
  OR("or", 1);

  private final String symbol;
  final int precedence;

  BinaryOp(String symbol, int precedence) {
    this.symbol = symbol;
    this.precedence = precedence;
  }

  /** The operator as written in PromQL. */
  public String symbol() {
    return symbol;
  }

  /** Whether this is {@code == != > < >= <=}. */
  public boolean isComparison() {
    return precedence == 3;
  }

  /** Whether this is {@code and or unless}. */
  public boolean isSetOperator() {
    return this == AND || this == OR || this == UNLESS;
  }

  boolean isRightAssociative() {
    return this == POW;
  }

  static BinaryOp of(TokenType t) {
    return switch (t) {
      case ADD -> ADD;
      case SUB -> SUB;
      case MUL -> MUL;
      case DIV -> DIV;
      case MOD -> MOD;
      case ATAN2 -> ATAN2;
      case POW -> POW;
      case EQLC -> EQLC;
      case NEQ -> NEQ;
      case GTR -> GTR;
      case LSS -> LSS;
      case GTE -> GTE;
      case LTE -> LTE;
      case LAND -> AND;
      case LUNLESS -> UNLESS;
      case LOR -> OR;
      default -> null;
    };
  }
}
