package io.raftwatch.collector.promql;

/**
 * A PromQL query that does not parse or does not type-check, thrown by {@link Parser#parse}. The
 * message reads as Prometheus's: {@code 1:14: parse error: unexpected "}" in label matching}.
 * {@link #line()} and {@link #column()} are 1-based; the column counts characters from the last
 * line break, as Prometheus's {@code ParseErr} does.
 */
public final class PromqlParseException extends RuntimeException {
  private final int offset;
  private final int line;
  private final int column;
  private final String detail;

  PromqlParseException(String query, int offset, String detail) {
    super(
        position(query, offset)[0] + ":" + position(query, offset)[1] + ": parse error: " + detail);
    int[] lc = position(query, offset);
    this.offset = offset;
    this.line = lc[0];
    this.column = lc[1];
    this.detail = detail;
  }

  /** {line, column} of {@code offset}, both 1-based. */
  private static int[] position(String query, int offset) {
    int line = 1;
    int lastBreak = -1;
    int end = Math.min(Math.max(offset, 0), query.length());
    for (int i = 0; i < end; i++) {
      if (query.charAt(i) == '\n') {
        lastBreak = i;
        line++;
      }
    }
    return new int[] {line, end - lastBreak};
  }

  /** The 1-based line of the error. */
  public int line() {
    return line;
  }

  /** The 1-based column of the error. */
  public int column() {
    return column;
  }

  /** The message without the position prefix. */
  public String detail() {
    return detail;
  }

  /** The 0-based offset of the error in the query. */
  int offset() {
    return offset;
  }
}
