package io.raftwatch.collector.promql;

/**
 * float64 functions as Go's {@code math} package computes them, where Java's differ in special
 * cases or in the last bit: {@code Pow(1, NaN) = 1}, {@code Pow(-1, ±Inf) = 1}; {@code Log2} exact
 * on powers of two; {@code Log10} as {@code Log(x) * (1/Ln10)}; the hyperbolic functions and {@code
 * Acos} by Go's formulas. NB: Go on amd64 computes {@code Exp} in assembly, which can differ from
 * Java's {@link Math#exp} in the last bit, and {@code Tan}, {@code Sin}, {@code Cos} by Cephes
 * polynomials; those may differ from Prometheus by an ulp. Stateless.
 */
final class GoMath {
  // Go folds 1/Ln2 and 1/Ln10 exactly at compile time, then rounds once; 1 / (double) Ln2 may
  // be an ulp away, so the correctly rounded reciprocals are written out.
  private static final double INV_LN2 = 1.44269504088896340735992468100189213742664595415298593;
  private static final double INV_LN10 = 0.43429448190325182765112891891660508229439700580366656;
  private static final double LN2 = 0.693147180559945309417232121458176568;
  private static final double NEAR_ZERO = 1.0 / (1 << 28);
  private static final double LARGE = 1 << 28;

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
    return StrictMath.log(frac) * INV_LN2 + goExp;
  }

  static double log10(double x) {
    return StrictMath.log(x) * INV_LN10;
  }

  /** Go's {@code Acos}: pi/2 - Asin(x). */
  static double acos(double x) {
    return Math.PI / 2 - StrictMath.asin(x);
  }

  /** Go's {@code Cosh}. */
  static double cosh(double x) {
    x = Math.abs(x);
    if (x > 21) {
      return Math.exp(x) * 0.5;
    }
    double ex = Math.exp(x);
    return (ex + 1 / ex) * 0.5;
  }

  /** Go's {@code Sinh} for |x| &gt; 0.5; below that Go's rational approximation, here fdlibm's. */
  static double sinh(double x) {
    double a = Math.abs(x);
    double r;
    if (a > 21) {
      r = Math.exp(a) * 0.5;
    } else if (a > 0.5) {
      double ex = Math.exp(a);
      r = (ex - 1 / ex) * 0.5;
    } else {
      return StrictMath.sinh(x);
    }
    return x < 0 ? -r : r;
  }

  /**
   * Go's {@code Tanh} for |x| &gt;= 0.625; below that Go's rational approximation, here fdlibm's.
   */
  static double tanh(double x) {
    double z = Math.abs(x);
    if (z > 0.5 * 7.09782712893383973096e+02) {
      return x < 0 ? -1 : 1;
    }
    if (z >= 0.625) {
      double s = Math.exp(2 * z);
      z = 1 - 2 / (s + 1);
      return x < 0 ? -z : z;
    }
    return StrictMath.tanh(x);
  }

  /** Go's {@code Asinh}. */
  static double asinh(double x) {
    if (Double.isNaN(x) || Double.isInfinite(x)) {
      return x;
    }
    boolean negative = x < 0;
    x = Math.abs(x);
    double t;
    if (x > LARGE) {
      t = StrictMath.log(x) + LN2;
    } else if (x > 2) {
      t = StrictMath.log(2 * x + 1 / (Math.sqrt(x * x + 1) + x));
    } else if (x < NEAR_ZERO) {
      t = x;
    } else {
      t = StrictMath.log1p(x + x * x / (1 + Math.sqrt(1 + x * x)));
    }
    return negative ? -t : t;
  }

  /** Go's {@code Acosh}. */
  static double acosh(double x) {
    if (x < 1 || Double.isNaN(x)) {
      return Double.NaN;
    }
    if (x == 1) {
      return 0;
    }
    if (x >= LARGE) {
      return StrictMath.log(x) + LN2;
    }
    if (x > 2) {
      return StrictMath.log(2 * x - 1 / (x + Math.sqrt(x * x - 1)));
    }
    double t = x - 1;
    return StrictMath.log1p(t + Math.sqrt(2 * t + t * t));
  }

  /** Go's {@code Atanh}. */
  static double atanh(double x) {
    if (x < -1 || x > 1 || Double.isNaN(x)) {
      return Double.NaN;
    }
    if (x == 1) {
      return Double.POSITIVE_INFINITY;
    }
    if (x == -1) {
      return Double.NEGATIVE_INFINITY;
    }
    boolean negative = x < 0;
    x = Math.abs(x);
    double t;
    if (x < NEAR_ZERO) {
      t = x;
    } else if (x < 0.5) {
      t = x + x;
      t = 0.5 * StrictMath.log1p(t + t * x / (1 - x));
    } else {
      t = 0.5 * StrictMath.log1p((x + x) / (1 - x));
    }
    return negative ? -t : t;
  }
}
