package io.raftwatch.collector.promql;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Number parsing with Go's rules, which PromQL inherits: {@link #parseFloat} is {@code
 * strconv.ParseFloat} (Inf, NaN, hex floats; no Java suffixes like {@code 1d}), and {@link
 * #parsePromqlNumber} is the parser's {@code parseNumber}: an integer with a base prefix first
 * ({@code 0x1f}, and {@code 010} is octal), else a float. Stateless. Public for the web
 * package's Prometheus API, which parses times ({@link #parseFloat}) and writes sample values
 * ({@link #formatF}, {@link #formatE}) as Prometheus does.
 */
public final class GoNumbers {
  private static final Pattern DECIMAL =
      Pattern.compile("[+-]?(?:[0-9]+\\.?[0-9]*|\\.[0-9]+)(?:[eE][+-]?[0-9]+)?");
  private static final Pattern HEX_FLOAT =
      Pattern.compile(
          "[+-]?0[xX](?:[0-9a-fA-F]+\\.?[0-9a-fA-F]*|\\.[0-9a-fA-F]+)(?:[pP][+-]?[0-9]+)");

  private GoNumbers() {}

  /**
   * Go's {@code strconv.ParseFloat(s, 64)}.
   *
   * @throws NumberFormatException when Go would refuse {@code s}
   */
  public static double parseFloat(String s) {
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
      if (lower.length() > 1
          && lower.startsWith("0")
          && lower.chars().allMatch(c -> c >= '0' && c <= '7')) {
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

  /** Go's {@code strconv.FormatFloat(v, 'f', -1, 64)}: shortest round-trip digits, no exponent. */
  public static String formatF(double v) {
    if (Double.isNaN(v)) {
      return "NaN";
    }
    if (Double.isInfinite(v)) {
      return v > 0 ? "+Inf" : "-Inf";
    }
    if (v == 0) {
      return (Double.doubleToRawLongBits(v) < 0) ? "-0" : "0";
    }
    return new java.math.BigDecimal(Double.toString(v)).stripTrailingZeros().toPlainString();
  }

  /**
   * Go's {@code strconv.FormatFloat(v, 'e', -1, 64)}: the shortest digits with an exponent of at
   * least two digits, {@code 1.048576e+08}; as Prometheus's alerts API writes a value.
   */
  public static String formatE(double v) {
    if (Double.isNaN(v) || Double.isInfinite(v)) {
      return formatF(v);
    }
    if (v == 0) {
      return (Double.doubleToRawLongBits(v) < 0 ? "-" : "") + "0e+00";
    }
    java.math.BigDecimal d = new java.math.BigDecimal(Double.toString(v)).stripTrailingZeros();
    String digits = d.unscaledValue().abs().toString();
    int exp = digits.length() - 1 - d.scale();
    String mantissa = digits.length() > 1 ? digits.charAt(0) + "." + digits.substring(1) : digits;
    return (v < 0 ? "-" : "") + mantissa + "e" + (exp < 0 ? "-" : "+")
        + (Math.abs(exp) < 10 ? "0" : "") + Math.abs(exp);
  }

  /** Go's {@code %v} of a float64, for messages: shortest digits, exponent for large or tiny. */
  static String formatG(double v) {
    if (Double.isNaN(v)) {
      return "NaN";
    }
    if (Double.isInfinite(v)) {
      return v > 0 ? "+Inf" : "-Inf";
    }
    double a = Math.abs(v);
    if (a != 0 && (a < 1e-4 || a >= 1e21)) {
      java.math.BigDecimal d = new java.math.BigDecimal(Double.toString(v)).stripTrailingZeros();
      String mantissa = d.unscaledValue().toString();
      boolean negative = mantissa.startsWith("-");
      String digits = negative ? mantissa.substring(1) : mantissa;
      int exp = digits.length() - 1 - d.scale();
      String m = digits.length() > 1 ? digits.charAt(0) + "." + digits.substring(1) : digits;
      return (negative ? "-" : "")
          + m
          + "e"
          + (exp < 0 ? "-" : "+")
          + String.format("%02d", Math.abs(exp));
    }
    return formatF(v);
  }
}
