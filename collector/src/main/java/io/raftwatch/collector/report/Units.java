package io.raftwatch.collector.report;

import java.util.Locale;

/**
 * Formats a report's numbers for people, in the unit they are measured in: seconds as µs, ms or
 * s; bytes as B, KiB, MiB, GiB; counts plain with k and M above ten thousand. Three significant
 * digits. Stateless.
 */
final class Units {
  static final String SECONDS = "seconds";
  static final String BYTES = "bytes";
  static final String COUNT = "count";

  private Units() {}

  /** {@code value} in {@code unit}; "-" for null or a value that is not finite. */
  static String format(Double value, String unit) {
    if (value == null || !Double.isFinite(value)) {
      return "-";
    }
    double v = value;
    double a = Math.abs(v);
    return switch (unit) {
      case SECONDS -> a == 0 ? "0 s" : a < 1e-3 ? digits(v * 1e6) + " µs"
          : a < 1 ? digits(v * 1e3) + " ms" : digits(v) + " s";
      case BYTES -> a < 1024 ? digits(v) + " B" : a < 1024 * 1024 ? digits(v / 1024) + " KiB"
          : a < 1024.0 * 1024 * 1024 ? digits(v / (1024 * 1024)) + " MiB"
          : digits(v / (1024.0 * 1024 * 1024)) + " GiB";
      default -> a >= 1e6 ? digits(v / 1e6) + "M" : a >= 1e4 ? digits(v / 1e3) + "k" : digits(v);
    };
  }

  /** A ratio 0..1 as a percentage with one decimal. */
  static String percent(Double ratio) {
    return ratio == null || !Double.isFinite(ratio) ? "-"
        : String.format(Locale.ROOT, "%.1f%%", ratio * 100);
  }

  /** Up to three significant digits, without trailing zeros. */
  static String digits(double v) {
    if (v == Math.rint(v) && Math.abs(v) < 1e15) {
      return Long.toString((long) v);
    }
    double a = Math.abs(v);
    int decimals = a >= 100 ? 0 : a >= 10 ? 1 : a >= 1 ? 2 : 3;
    String s = String.format(Locale.ROOT, "%." + decimals + "f", v);
    if (s.contains(".")) {
      s = s.replaceAll("0+$", "").replaceAll("\\.$", "");
    }
    return s;
  }
}
