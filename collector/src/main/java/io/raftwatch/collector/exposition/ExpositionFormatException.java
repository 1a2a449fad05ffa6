package io.raftwatch.collector.exposition;

/**
 * A scrape body that is not valid text exposition. Thrown by {@link ExpositionParser#parse}, which
 * then has produced nothing, so a bad body is never half stored. The message names the line and
 * quotes it: {@code line 12: expected '=' after label name "job": up{job "a"} 1}.
 */
public final class ExpositionFormatException extends Exception {
  private static final int MAX_QUOTED = 200;

  private final int lineNumber;
  private final String lineText;
  private final String reason;

  ExpositionFormatException(int lineNumber, String lineText, String reason) {
    super("line " + lineNumber + ": " + reason + ": " + quote(lineText));
    this.lineNumber = lineNumber;
    this.lineText = lineText;
    this.reason = reason;
  }

  private static String quote(String text) {
    return text.length() <= MAX_QUOTED ? text : text.substring(0, MAX_QUOTED) + "…";
  }

  /** The 1-based number of the offending line. */
  public int lineNumber() {
    return lineNumber;
  }

  /** The offending line as it was sent, without its newline. */
  public String lineText() {
    return lineText;
  }

  /** What is wrong, without the line. */
  public String reason() {
    return reason;
  }
}
