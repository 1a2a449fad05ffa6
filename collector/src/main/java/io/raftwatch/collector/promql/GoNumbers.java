package io.raftwatch.collector.promql;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Number parsing with Go's rules, which PromQL inherits: {@link #parseFloat} is {@code
 * strconv.ParseFloat} (Inf, NaN, hex floats; no Java suffixes like {@code 1d}), and {@link
 * #parsePromqlNumber} is the parser's {@code parseNumber}: an integer with a base prefix first
 * ({@code 0x1f}, and {@code 010} is octal), else a float. Stateless.
 */
final class GoNumbers {
  private static final Pattern DECIMAL =
      Pattern.compile("[+-]?(?:[0-9]+\\.?[0-9]*|\\.[0-9]+)(?:[eE][+-]?[0-9]+)?");
  private static final Pattern HEX_FLOAT =
      Pattern.compile("[+-]?0[xX](?:[0-9a-fA-F]+\\.?[0-9a-fA-F]*|\\.[0-9a-fA-F]+)(?:[pP][+-]?[0-9]+)");

  private GoNumbers() {}

  /**
   * Go's {@code strconv.ParseFloat(s, 64)}.
   *
   * @throws NumberFormatException when Go would refuse {@code s}
   */
  static double parseFloat(String s) {
    String lower = s.toLowerCase(Locale.ROOT);
    String unsigned = lower.startsWith("+") || lower.startsWith("-") ? lower.substring(1) : lower;
    boolean negative = lower.startsWith("-");
    if (unsigned.equals("inf") || unsigned.equals("infinity")) {
      return negative ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
    }
    if (unsigned.equals("nan")) {
      return Double.NaN;
    }
    if (DECIMAL.matcher(s).matches() || HEX_FLOAT.matcher(s).matches()) {
      return Double.parseDouble(s);
    }
    throw new NumberFormatException("invalid syntax: " + s);
  }

  /** PromQL's number literal rule; see the class comment. */
  static double parsePromqlNumber(String s) {
    String lower = s.toLowerCase(Locale.ROOT);
    try {
      if (lower.startsWith("0x")) {
        return Long.parseLong(s.substring(2), 16);
      }
      if (lower.length() > 1 && lower.startsWith("0") && lower.chars().allMatch(c -> c >= '0' && c <= '7')) {
        return Long.parseLong(s.substring(1), 8);
      }
      if (lower.chars().allMatch(c -> c >= '0' && c <= '9')) {
        return Long.parseLong(s);
      }
    } catch (NumberFormatException e) {
      // Too large for int64: Go falls back to ParseFloat too.
    }
    return parseFloat(s);
  }
}
