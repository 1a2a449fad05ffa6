package io.raftwatch.collector.exposition;

import java.nio.charset.StandardCharsets;

/**
 * Reads sample values and timestamps from ASCII bytes without making a String on the common path.
 * Accepts what Go's {@code strconv.ParseFloat} accepts in exposition (decimal and hex floats,
 * {@code NaN}, {@code Inf}, {@code +Inf}, {@code -Inf}, case-insensitive), so values read as
 * Prometheus reads them, bit for bit.
 */
final class NumberText {
  // Powers of ten that a double holds exactly: Clinger's fast path divides or multiplies by one.
  private static final double[] EXACT_POWERS_OF_TEN = new double[23];

  static {
    double p = 1;
    for (int i = 0; i < EXACT_POWERS_OF_TEN.length; i++) {
      EXACT_POWERS_OF_TEN[i] = p;
      p *= 10;
    }
  }

  private NumberText() {}

  /** The double that {@code b[from, to)} spells; throws NumberFormatException if none. */
  static double parseDouble(byte[] b, int from, int to) {
    if (from >= to) {
      throw new NumberFormatException("empty");
    }
    double fast = parseSimpleDecimal(b, from, to);
    if (!Double.isNaN(fast)) {
      return fast;
    }
    return parseSlow(b, from, to);
  }

  /**
   * Plain decimals with at most 15 significant digits and a small exponent, which one exact
   * multiplication or division rounds correctly (Clinger 1990); NaN for anything else.
   */
  private static double parseSimpleDecimal(byte[] b, int from, int to) {
    int i = from;
    boolean negative = false;
    if (b[i] == '-' || b[i] == '+') {
      negative = b[i] == '-';
      i++;
    }
    long mantissa = 0;
    int digits = 0;
    int scale = 0; // Digits after the decimal point.
    boolean dot = false;
    boolean any = false;
    for (; i < to; i++) {
      int c = b[i];
      if (c >= '0' && c <= '9') {
        any = true;
        if (mantissa == 0 && c == '0') {
          if (dot) {
            scale++;
          }
          continue;
        }
        if (++digits > 15) {
          return Double.NaN;
        }
        mantissa = mantissa * 10 + (c - '0');
        if (dot) {
          scale++;
        }
      } else if (c == '.' && !dot) {
        dot = true;
      } else {
        break;
      }
    }
    if (!any) {
      return Double.NaN;
    }
    int exponent = 0;
    if (i < to) {
      if (b[i] != 'e' && b[i] != 'E') {
        return Double.NaN;
      }
      i++;
      boolean negativeExponent = false;
      if (i < to && (b[i] == '-' || b[i] == '+')) {
        negativeExponent = b[i] == '-';
        i++;
      }
      if (i == to) {
        return Double.NaN;
      }
      for (; i < to; i++) {
        int c = b[i];
        if (c < '0' || c > '9' || exponent > 1000) {
          return Double.NaN;
        }
        exponent = exponent * 10 + (c - '0');
      }
      if (negativeExponent) {
        exponent = -exponent;
      }
    }
    int e = exponent - scale;
    double v;
    if (mantissa == 0) {
      v = 0;
    } else if (e >= 0 && e < EXACT_POWERS_OF_TEN.length) {
      v = mantissa * EXACT_POWERS_OF_TEN[e];
    } else if (e < 0 && -e < EXACT_POWERS_OF_TEN.length) {
      v = mantissa / EXACT_POWERS_OF_TEN[-e];
    } else {
      return Double.NaN;
    }
    return negative ? -v : v;
  }

  private static double parseSlow(byte[] b, int from, int to) {
    String s = new String(b, from, to - from, StandardCharsets.ISO_8859_1);
    String unsigned = s.startsWith("+") || s.startsWith("-") ? s.substring(1) : s;
    boolean negative = s.startsWith("-");
    if (unsigned.equalsIgnoreCase("inf") || unsigned.equalsIgnoreCase("infinity")) {
      return negative ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
    }
    if (unsigned.equalsIgnoreCase("nan") && unsigned.length() == s.length()) {
      return Double.NaN;
    }
    // Java also takes forms Go does not: type suffixes (1d, 2f), "Infinity" spelled differently,
    // surrounding blanks. Only digits, signs, points, exponents and hex digits get through here.
    boolean hex = unsigned.startsWith("0x") || unsigned.startsWith("0X");
    for (int i = 0; i < unsigned.length(); i++) {
      char c = unsigned.charAt(i);
      boolean ok =
          (c >= '0' && c <= '9')
              || c == '.'
              || c == '+'
              || c == '-'
              || (hex ? isHexOrExponent(c, i) : c == 'e' || c == 'E');
      if (!ok) {
        throw new NumberFormatException(s);
      }
    }
    if (hex && unsigned.indexOf('p') < 0 && unsigned.indexOf('P') < 0) {
      throw new NumberFormatException(s); // Go requires the p exponent on hex floats.
    }
    return Double.parseDouble(s);
  }

  private static boolean isHexOrExponent(char c, int i) {
    return (i == 1 && (c == 'x' || c == 'X'))
        || (c >= 'a' && c <= 'f')
        || (c >= 'A' && c <= 'F')
        || c == 'p'
        || c == 'P';
  }

  /** A decimal int64 as Go's {@code strconv.ParseInt}; throws NumberFormatException if none. */
  static long parseLong(byte[] b, int from, int to) {
    int i = from;
    boolean negative = false;
    if (i < to && (b[i] == '-' || b[i] == '+')) {
      negative = b[i] == '-';
      i++;
    }
    if (i == to) {
      throw new NumberFormatException("no digits");
    }
    long v = 0;
    for (; i < to; i++) {
      int c = b[i];
      if (c < '0' || c > '9') {
        throw new NumberFormatException("not a digit");
      }
      // Accumulate negatively so that Long.MIN_VALUE is reachable.
      if (v < (Long.MIN_VALUE + (c - '0')) / 10) {
        throw new NumberFormatException("out of range");
      }
      v = v * 10 - (c - '0');
    }
    if (!negative) {
      if (v == Long.MIN_VALUE) {
        throw new NumberFormatException("out of range");
      }
      v = -v;
    }
    return v;
  }
}
