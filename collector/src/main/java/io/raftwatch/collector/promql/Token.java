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
      case AGGREGATOR -> "<aggr:" + text + ">";
      case ADD, SUB, MUL, DIV, MOD, POW, EQLC, NEQ, LSS, LTE, GTR, GTE, EQL_REGEX, NEQ_REGEX ->
          "<op:" + text + ">";
      case ATAN2, LAND, LOR, LUNLESS -> "<op:" + text + ">";
        // Prometheus 2.42 has no name for "@" and prints its internal item number.
      case AT -> "\"<Item 57385>\" <op:@>";
      case BY, WITHOUT, ON, IGNORING, GROUP_LEFT, GROUP_RIGHT, BOOL, OFFSET, START, END ->
          "<" + text + ">";
      default -> type.description;
    };
  }
}
