package io.raftwatch.collector.promql;

/**
 * One lexed token: its kind, its text as written (strings still quoted) and the offset of its first
 * character in the query, for error positions.
 */
record Token(TokenType type, String text, int pos) {
  /** The token as a parse error names it: {@code identifier "foo"}, {@code "+"}. */
  String describe() {
    return switch (type) {
      case EOF -> "end of input";
      case IDENTIFIER, METRIC_IDENTIFIER, NUMBER, DURATION, STRING ->
          type.description + " " + StringLiterals.quote(text);
      case AGGREGATOR -> "aggregator <aggr:" + text + ">";
      case ADD, SUB, MUL, DIV, MOD, POW, EQLC, NEQ, LSS, LTE, GTR, GTE, EQL_REGEX, NEQ_REGEX ->
          "<op:" + text + ">";
      case ATAN2, LAND, LOR, LUNLESS -> "operator <op:" + text + ">";
      case BY, WITHOUT, ON, IGNORING, GROUP_LEFT, GROUP_RIGHT, BOOL, OFFSET, START, END ->
          "keyword <" + text + ">";
      default -> type.description;
    };
  }
}
