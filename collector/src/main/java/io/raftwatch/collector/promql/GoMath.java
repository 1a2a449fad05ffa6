package io.raftwatch.collector.promql;

/**
 * The few float64 functions whose special cases differ between Go's {@code math} package (which
 * PromQL's results follow) and Java's: {@code Pow(1, NaN) = 1}, {@code Pow(-1, ±Inf) = 1}; {@code
 * Log2} exact on powers of two; {@code Log10} as {@code Log(x) * (1/Ln10)}. Stateless.
 */
final class GoMath {
  private static final double LN2 = 0.693147180559945309417232121458176568;
  private static final double LN10 = 2.30258509299404568401799145468436421;

  private GoMath() {}

  static double pow(double x, double y) {
    if (x == 1 || y == 0) {
      return 1;
    }
    if (x == -1 && Double.isInfinite(y)) {
      return 1;
    }
    return StrictMath.pow(x, y);
  }

  static double log(double x) {
    return StrictMath.log(x);
  }

  static double log2(double x) {
    if (Double.isNaN(x) || x <= 0 || Double.isInfinite(x)) {
      return StrictMath.log(x);
    }
    int exp = Math.getExponent(x);
    double frac;
    if (exp == Double.MIN_EXPONENT - 1) {
      // Subnormal: normalize first, as Go's Frexp does.
      double normal = x * 0x1p52;
      exp = Math.getExponent(normal) - 52;
      frac = normal / Math.scalb(1.0, Math.getExponent(normal) + 1);
    } else {
      frac = x / Math.scalb(1.0, exp + 1);
    }
    // Go's Frexp returns frac in [0.5, 1) and x = frac * 2^(exp+1).
    int goExp = exp + 1;
    if (frac == 0.5) {
      return goExp - 1;
    }
    return StrictMath.log(frac) * (1 / LN2) + goExp;
  }

  static double log10(double x) {
    return StrictMath.log(x) * (1 / LN10);
  }
}
