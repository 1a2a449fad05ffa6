package io.raftwatch.collector.promql;

/**
 * One lexed token: its kind, its text as written (strings still quoted) and the offset of its
 * first character in the query, for error positions.
 */
record Token(TokenType type, String text, int pos) {
  /** The token as a parse error names it: {@code identifier "foo"}, {@code "+"}. */
  String describe() {
    return switch (type) {
      case EOF -> "end of input";
      case IDENTIFIER, METRIC_IDENTIFIER, NUMBER, DURATION, STRING ->
          type.description + " " + StringLiterals.quote(text);
      case AGGREGATOR -> "aggregator " + StringLiterals.quote(text);
      default -> type.description;
    };
  }
}
