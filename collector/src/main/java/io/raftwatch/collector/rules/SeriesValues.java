package io.raftwatch.collector.rules;

import io.raftwatch.collector.tsdb.Samples;
import java.util.ArrayList;
import java.util.List;

/**
 * The expanding notation of promtool's {@code input_series} values: {@code 1 2 3}, {@code 0+10x40}
 * (41 values from 0 in steps of 10), {@code 5-1x3}, {@code 7x3} (four 7s), {@code _} (no sample),
 * {@code _x3} (three without), {@code stale} (a staleness marker), {@code Inf}, {@code NaN}.
 * Stateless; any thread.
 */
public final class SeriesValues {
  /** A value of {@link #parse}'s result meaning "no sample at this step". */
  public static final Double OMITTED = null;

  private SeriesValues() {}

  /**
   * The value at each step, {@code null} where omitted.
   *
   * @throws IllegalArgumentException naming the item that is not valid
   */
  public static List<Double> parse(String text) {
    List<Double> out = new ArrayList<>();
    for (String item : text.trim().split("\\s+")) {
      if (item.isEmpty()) {
        continue;
      }
      int x = item.lastIndexOf('x');
      String head = item;
      int times = -1;
      if (x > 0 && item.substring(x + 1).matches("\\d+")) {
        head = item.substring(0, x);
        times = Integer.parseInt(item.substring(x + 1));
      }
      if (head.equals("_")) {
        for (int i = 0; i < Math.max(times, 1); i++) {
          out.add(OMITTED);
        }
        continue;
      }
      if (times < 0) {
        out.add(number(item, item));
        continue;
      }
      // a+bxn or a-bxn: find the sign that separates a from b (not a leading sign, not an
      // exponent's).
      int split = -1;
      for (int i = 1; i < head.length(); i++) {
        char c = head.charAt(i);
        char prev = head.charAt(i - 1);
        if ((c == '+' || c == '-') && prev != 'e' && prev != 'E') {
          split = i;
        }
      }
      if (split < 0) {
        double v = number(head, item);
        for (int i = 0; i <= times; i++) {
          out.add(v);
        }
        continue;
      }
      double v = number(head.substring(0, split), item);
      double step = number(head.substring(split), item);
      out.add(v);
      for (int i = 1; i <= times; i++) {
        // Accumulate as promtool does, so that rounding matches.
        v += step;
        out.add(v);
      }
    }
    return out;
  }

  private static double number(String s, String item) {
    switch (s) {
      case "stale":
        return Samples.STALE_NAN;
      case "Inf", "+Inf", "inf", "+inf":
        return Double.POSITIVE_INFINITY;
      case "-Inf", "-inf":
        return Double.NEGATIVE_INFINITY;
      case "NaN", "nan":
        return Double.NaN;
      default:
        try {
          return Double.parseDouble(s);
        } catch (NumberFormatException e) {
          throw new IllegalArgumentException("invalid value \"" + item + "\" in series values");
        }
    }
  }
}
