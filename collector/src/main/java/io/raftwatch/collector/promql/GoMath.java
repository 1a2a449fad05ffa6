package io.raftwatch.collector.promql;

/**
 * float64 functions as Go's {@code math} package computes them (on amd64), where Java's differ in
 * special cases or in the last bit: {@code Pow} (its own algorithm; {@code Pow(1, NaN) = 1}),
 * {@code Log}, {@code Log2} (exact on powers of two), {@code Log10} ({@code Log(x) * (1/Ln10)}),
 * {@code Exp} (Go's assembly), {@code Sin}, {@code Cos}, {@code Tan} (Cephes polynomials), the
 * hyperbolic functions and {@code Acos}. NB: for |x| &ge; 2^29 the trigonometric functions fall
 * back to fdlibm, where Go uses Payne-Hanek reduction. Stateless.
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

  /**
   * Go's {@code Pow}: special cases first, then x^frac(y) through Exp and Log and x^int(y) by
   * repeated squaring of Frexp's fraction, which differs from {@link StrictMath#pow} in the last
   * bit for many arguments.
   */
  static double pow(double x, double y) {
    if (y == 0 || x == 1) {
      return 1;
    }
    if (y == 1) {
      return x;
    }
    if (Double.isNaN(x) || Double.isNaN(y)) {
      return Double.NaN;
    }
    if (x == 0) {
      boolean negativeZero = Double.doubleToRawLongBits(x) < 0;
      if (y < 0) {
        return negativeZero && isOddInt(y) ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
      }
      return negativeZero && isOddInt(y) ? x : 0;
    }
    if (Double.isInfinite(y)) {
      if (x == -1) {
        return 1;
      }
      return (Math.abs(x) < 1) == (y > 0) ? 0 : Double.POSITIVE_INFINITY;
    }
    if (Double.isInfinite(x)) {
      if (x < 0) {
        return pow(1 / x, -y);
      }
      return y < 0 ? 0 : Double.POSITIVE_INFINITY;
    }
    if (y == 0.5) {
      return Math.sqrt(x);
    }
    if (y == -0.5) {
      return 1 / Math.sqrt(x);
    }
    double ay = Math.abs(y);
    double yi = Math.floor(ay);
    double yf = ay - yi;
    if (yf != 0 && x < 0) {
      return Double.NaN;
    }
    if (yi >= 0x1p63) {
      if (x == -1) {
        return 1;
      }
      return (Math.abs(x) < 1) == (y > 0) ? 0 : Double.POSITIVE_INFINITY;
    }
    double a1 = 1.0;
    int ae = 0;
    if (yf != 0) {
      if (yf > 0.5) {
        yf--;
        yi++;
      }
      a1 = exp(yf * log(x));
    }
    // Frexp: x = x1 * 2^xe with |x1| in [0.5, 1).
    int e = Math.getExponent(x);
    double x1;
    long xe;
    if (e == Double.MIN_EXPONENT - 1) {
      double normal = x * 0x1p52;
      int ne = Math.getExponent(normal);
      x1 = normal / Math.scalb(1.0, ne + 1);
      xe = ne + 1 - 52;
    } else {
      x1 = x / Math.scalb(1.0, e + 1);
      xe = e + 1;
    }
    for (long i = (long) yi; i != 0; i >>= 1) {
      if (xe < -(1 << 12) || (1 << 12) < xe) {
        ae += xe;
        break;
      }
      if ((i & 1) == 1) {
        a1 *= x1;
        ae += xe;
      }
      x1 *= x1;
      xe <<= 1;
      if (x1 < .5) {
        x1 += x1;
        xe--;
      }
    }
    if (y < 0) {
      a1 = 1 / a1;
      ae = -ae;
    }
    return Math.scalb(a1, ae);
  }

  private static boolean isOddInt(double y) {
    if (Math.abs(y) >= 0x1p53) {
      return false;
    }
    double yi = y < 0 ? Math.ceil(y) : Math.floor(y);
    return yi == y && (((long) yi) & 1) == 1;
  }

  /**
   * Go's {@code Log}: fdlibm's polynomial with Go's simpler reduction (which the amd64 assembly
   * follows too), so results can differ from {@link StrictMath#log} in the last bit (ln(14)).
   */
  static double log(double x) {
    if (Double.isNaN(x) || x == Double.POSITIVE_INFINITY) {
      return x;
    }
    if (x < 0) {
      return Double.NaN;
    }
    if (x == 0) {
      return Double.NEGATIVE_INFINITY;
    }
    // Frexp: x = f1 * 2^ki with f1 in [0.5, 1).
    int exp = Math.getExponent(x);
    double f1;
    int ki;
    if (exp == Double.MIN_EXPONENT - 1) {
      double normal = x * 0x1p52;
      int e = Math.getExponent(normal);
      f1 = normal / Math.scalb(1.0, e + 1);
      ki = e + 1 - 52;
    } else {
      f1 = x / Math.scalb(1.0, exp + 1);
      ki = exp + 1;
    }
    if (f1 < SQRT2 / 2) {
      f1 *= 2;
      ki--;
    }
    double f = f1 - 1;
    double k = ki;
    double s = f / (2 + f);
    double s2 = s * s;
    double s4 = s2 * s2;
    double t1 = s2 * (L1 + s4 * (L3 + s4 * (L5 + s4 * L7)));
    double t2 = s4 * (L2 + s4 * (L4 + s4 * L6));
    double r = t1 + t2;
    double hfsq = 0.5 * f * f;
    return k * LN2_HI - ((hfsq - (s * (hfsq + r) + k * LN2_LO)) - f);
  }

  private static final double SQRT2 = 1.41421356237309504880168872420969808;
  private static final double LN2_HI = 6.93147180369123816490e-01;
  private static final double LN2_LO = 1.90821492927058770002e-10;
  private static final double L1 = 6.666666666666735130e-01;
  private static final double L2 = 3.999999999940941908e-01;
  private static final double L3 = 2.857142874366239149e-01;
  private static final double L4 = 2.222219843214978396e-01;
  private static final double L5 = 1.818357216161805012e-01;
  private static final double L6 = 1.531383769920937332e-01;
  private static final double L7 = 1.479819860511658591e-01;

  static double log2(double x) {
    if (Double.isNaN(x) || x <= 0 || Double.isInfinite(x)) {
      return log(x);
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
    return log(frac) * INV_LN2 + goExp;
  }

  static double log10(double x) {
    return log(x) * INV_LN10;
  }

  /** Go's {@code Acos}: pi/2 - Asin(x). */
  static double acos(double x) {
    return Math.PI / 2 - StrictMath.asin(x);
  }

  /** Go's {@code Cosh}. */
  static double cosh(double x) {
    x = Math.abs(x);
    if (x > 21) {
      return exp(x) * 0.5;
    }
    double ex = exp(x);
    return (ex + 1 / ex) * 0.5;
  }

  /** Go's {@code Sinh} for |x| &gt; 0.5; below that Go's rational approximation, here fdlibm's. */
  static double sinh(double x) {
    double a = Math.abs(x);
    double r;
    if (a > 21) {
      r = exp(a) * 0.5;
    } else if (a > 0.5) {
      double ex = exp(a);
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
      double s = exp(2 * z);
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

  private static final double LOG2E = 1.4426950408889634073599246810018920;
  private static final double LN2U = 0.69314718055966295651160180568695068359375;
  private static final double LN2L = 0.28235290563031577122588448175013436025525412068e-12;
  private static final double EXP_OVERFLOW = 7.09782712893384e+02;
  private static final double[] EXP_TAYLOR = {
    2.4801587301587301587e-5,
    1.9841269841269841270e-4,
    1.3888888888888888889e-3,
    8.3333333333333333333e-3,
    4.1666666666666666667e-2,
    1.6666666666666666667e-1,
    0.5,
    1.0
  };

  /**
   * Go's {@code Exp} on amd64 with FMA (its assembly, after Shibata's method): round x/ln2 to k,
   * reduce with a two-part ln2, evaluate exp(r/16)-1 by a Taylor polynomial, square it up four
   * times as y(y+2), and scale by 2^k. Prometheus on CPUs without FMA (pre-2013) rounds differently
   * in the last bit.
   */
  static double exp(double x) {
    if (Double.isNaN(x) || x == Double.POSITIVE_INFINITY) {
      return x;
    }
    if (x == Double.NEGATIVE_INFINITY) {
      return 0;
    }
    if (x > EXP_OVERFLOW) {
      return Double.POSITIVE_INFINITY;
    }
    double t = x * LOG2E;
    // CVTSD2SL: round to nearest even; out of int range gives the "integer indefinite" value.
    int k = t >= -0x1p31 && t < 0x1p31 ? (int) Math.rint(t) : Integer.MIN_VALUE;
    double kd = k;
    double r = Math.fma(-kd, LN2U, x);
    r = Math.fma(-kd, LN2L, r);
    r *= 0.0625;
    double p = EXP_TAYLOR[0];
    for (int i = 1; i < EXP_TAYLOR.length; i++) {
      p = Math.fma(p, r, EXP_TAYLOR[i]);
    }
    double y = r * p;
    for (int i = 0; i < 3; i++) {
      y = y * (y + 2.0);
    }
    y = Math.fma(y + 2.0, y, 1.0);
    long biased = (long) k + 0x3FF;
    if (biased >= 0x7FF) {
      return Double.POSITIVE_INFINITY;
    }
    if (biased <= 0) {
      if (biased < -52) {
        return 0;
      }
      // Subnormal: scale in two steps, so that only the second rounds.
      return y
          * Double.longBitsToDouble((biased + 0x3FE) << 52)
          * Double.longBitsToDouble(1L << 52);
    }
    return y * Double.longBitsToDouble(biased << 52);
  }

  // Cephes coefficients, as Go's sin.go and tan.go use them.
  private static final double[] SIN_P = {
    1.58962301576546568060e-10,
    -2.50507477628578072866e-8,
    2.75573136213857245213e-6,
    -1.98412698295895385996e-4,
    8.33333333332211858878e-3,
    -1.66666666666666307295e-1
  };
  private static final double[] COS_P = {
    -1.13585365213876817300e-11,
    2.08757008419747316778e-9,
    -2.75573141792967388112e-7,
    2.48015872888517045348e-5,
    -1.38888888888730564116e-3,
    4.16666666666665929218e-2
  };
  private static final double[] TAN_P = {
    -1.30936939181383777646e4, 1.15351664838587416140e6, -1.79565251976484877988e7
  };
  private static final double[] TAN_Q = {
    1.36812963470692954678e4,
    -1.32089234440210967447e6,
    2.50083801823357915839e7,
    -5.38695755929454629881e7
  };
  // Pi/4 in three parts, for the extended-precision reduction.
  private static final double PI4A = 7.85398125648498535156e-1;
  private static final double PI4B = 3.77489470793079817668e-8;
  private static final double PI4C = 2.69515142907905952645e-15;
  // Beyond this Go reduces with Payne-Hanek; fdlibm's result is used here instead.
  private static final double REDUCE_THRESHOLD = 1 << 29;

  private static double sinPoly(double z, double zz) {
    return z
        + z
            * zz
            * (((((SIN_P[0] * zz + SIN_P[1]) * zz + SIN_P[2]) * zz + SIN_P[3]) * zz + SIN_P[4]) * zz
                + SIN_P[5]);
  }

  private static double cosPoly(double zz) {
    return 1.0
        - 0.5 * zz
        + zz
            * zz
            * (((((COS_P[0] * zz + COS_P[1]) * zz + COS_P[2]) * zz + COS_P[3]) * zz + COS_P[4]) * zz
                + COS_P[5]);
  }

  /** The octant j (0..7, even) and the reduced argument of |x| for Go's Cephes functions. */
  private static long octant(double ax) {
    long j = (long) (ax * (4 / Math.PI));
    if ((j & 1) == 1) {
      j++;
    }
    return j;
  }

  private static double reduce(double ax, long j) {
    double y = j;
    return ((ax - y * PI4A) - y * PI4B) - y * PI4C;
  }

  /** Go's {@code Sin} (Cephes) for |x| &lt; 2^29. */
  static double sin(double x) {
    if (x == 0 || Double.isNaN(x)) {
      return x;
    }
    if (Double.isInfinite(x)) {
      return Double.NaN;
    }
    boolean negative = x < 0;
    double ax = Math.abs(x);
    if (ax >= REDUCE_THRESHOLD) {
      return StrictMath.sin(x);
    }
    long j = octant(ax);
    double z = reduce(ax, j);
    j &= 7;
    if (j > 3) {
      negative = !negative;
      j -= 4;
    }
    double zz = z * z;
    double y = j == 1 || j == 2 ? cosPoly(zz) : sinPoly(z, zz);
    return negative ? -y : y;
  }

  /** Go's {@code Cos} (Cephes) for |x| &lt; 2^29. */
  static double cos(double x) {
    if (Double.isNaN(x) || Double.isInfinite(x)) {
      return Double.NaN;
    }
    double ax = Math.abs(x);
    if (ax >= REDUCE_THRESHOLD) {
      return StrictMath.cos(x);
    }
    long j = octant(ax);
    double z = reduce(ax, j);
    j &= 7;
    boolean negative = false;
    if (j > 3) {
      j -= 4;
      negative = true;
    }
    if (j > 1) {
      negative = !negative;
    }
    double zz = z * z;
    double y = j == 1 || j == 2 ? sinPoly(z, zz) : cosPoly(zz);
    return negative ? -y : y;
  }

  /** Go's {@code Tan} (Cephes) for |x| &lt; 2^29. */
  static double tan(double x) {
    if (x == 0 || Double.isNaN(x)) {
      return x;
    }
    if (Double.isInfinite(x)) {
      return Double.NaN;
    }
    boolean negative = x < 0;
    double ax = Math.abs(x);
    if (ax >= REDUCE_THRESHOLD) {
      return StrictMath.tan(x);
    }
    long j = octant(ax);
    double z = reduce(ax, j);
    double zz = z * z;
    double y = z;
    if (zz > 1e-14) {
      y =
          z
              + z
                  * (zz
                      * ((TAN_P[0] * zz + TAN_P[1]) * zz + TAN_P[2])
                      / ((((zz + TAN_Q[0]) * zz + TAN_Q[1]) * zz + TAN_Q[2]) * zz + TAN_Q[3]));
    }
    if ((j & 2) == 2) {
      y = -1 / y;
    }
    return negative ? -y : y;
  }
}
