package io.raftwatch.collector.promql;

/**
 * A PromQL query that does not parse or does not type-check, thrown by {@link Parser#parse}. The
 * message reads as Prometheus's: {@code 1:14: parse error: unexpected "}" in label matching}.
 * {@link #line()} and {@link #column()} are 1-based; the column counts characters from the last
 * line break, as Prometheus's {@code ParseErr} does.
 */
public final class PromqlParseException extends RuntimeException {
  private final int line;
  private final int column;
  private final String detail;

  PromqlParseException(String query, int offset, String detail) {
    super(format(query, offset, detail));
    int line = 1;
    int lastBreak = -1;
    int end = Math.min(Math.max(offset, 0), query.length());
    for (int i = 0; i < end; i++) {
      if (query.charAt(i) == '\n') {
        lastBreak = i;
        line++;
      }
    }
    this.line = line;
    this.column = end - lastBreak;
    this.detail = detail;
  }

  private static String format(String query, int offset, String detail) {
    int line = 1;
    int lastBreak = -1;
    int end = Math.min(Math.max(offset, 0), query.length());
    for (int i = 0; i < end; i++) {
      if (query.charAt(i) == '\n') {
        lastBreak = i;
        line++;
      }
    }
    return line + ":" + (end - lastBreak) + ": parse error: " + detail;
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
}
