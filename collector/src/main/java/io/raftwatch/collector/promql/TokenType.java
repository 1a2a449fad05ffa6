package io.raftwatch.collector.promql;

/**
 * The kinds of token the {@link Lexer} hands the {@link Parser}; the set and the names follow
 * Prometheus's {@code promql/parser/lex.go}.
 */
enum TokenType {
  EOF("end of input"),
  /** A lexing error; the parser throws it when it reaches it, so earlier errors win. */
  ERROR("error"),
  IDENTIFIER("identifier"),
  METRIC_IDENTIFIER("metric identifier"),
  NUMBER("number"),
  DURATION("duration"),
  STRING("string"),
  LEFT_PAREN("\"(\""),
  RIGHT_PAREN("\")\""),
  LEFT_BRACE("\"{\""),
  RIGHT_BRACE("\"}\""),
  LEFT_BRACKET("\"[\""),
  RIGHT_BRACKET("\"]\""),
  COMMA("\",\""),
  COLON("\":\""),
  AT("\"@\""),
  ASSIGN("\"=\""),
  // Operators.
  ADD("\"+\""),
  SUB("\"-\""),
  MUL("\"*\""),
  DIV("\"/\""),
  MOD("\"%\""),
  POW("\"^\""),
  ATAN2("\"atan2\""),
  EQLC("\"==\""),
  NEQ("\"!=\""),
  LSS("\"<\""),
  LTE("\"<=\""),
  GTR("\">\""),
  GTE("\">=\""),
  EQL_REGEX("\"=~\""),
  NEQ_REGEX("\"!~\""),
  LAND("\"and\""),
  LOR("\"or\""),
  LUNLESS("\"unless\""),
  // Keywords.
  BY("\"by\""),
  WITHOUT("\"without\""),
  ON("\"on\""),
  IGNORING("\"ignoring\""),
  GROUP_LEFT("\"group_left\""),
  GROUP_RIGHT("\"group_right\""),
  BOOL("\"bool\""),
  OFFSET("\"offset\""),
  START("\"start\""),
  END("\"end\""),
  AGGREGATOR("aggregator");

  /** How a parse error names a token of this kind, as Prometheus's messages do. */
  final String description;

  TokenType(String description) {
    this.description = description;
  }

  /** Whether this is a binary operator token. */
  boolean isOperator() {
    return ordinal() >= ADD.ordinal()
        && ordinal() <= LUNLESS.ordinal()
        && this != EQL_REGEX
        && this != NEQ_REGEX;
  }

  /** Whether this is a comparison operator, which may take {@code bool}. */
  boolean isComparison() {
    return this == EQLC || this == NEQ || this == LSS || this == LTE || this == GTR || this == GTE;
  }

  /** Whether this is one of the set operators {@code and or unless}. */
  boolean isSetOperator() {
    return this == LAND || this == LOR || this == LUNLESS;
  }

  /** Whether a word of this kind can also serve as a label name ({@code by (on)}). */
  boolean isKeywordLike() {
    return this == IDENTIFIER
        || this == METRIC_IDENTIFIER
        || this == ATAN2
        || this == LAND
        || this == LOR
        || this == LUNLESS
        || this == AGGREGATOR
        || ordinal() >= BY.ordinal() && ordinal() <= END.ordinal();
  }
}
