package io.raftwatch.collector.promql;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Prometheus durations ({@code 1h30m}, {@code 5m}, {@code 250ms}) as in {@code
 * prometheus/common/model.ParseDuration}: units y w d h m s ms, each at most once and in that
 * order; a year is 365 days. Stateless; used by the parser, the test-script runner and the rules.
 */
public final class PromDuration {
  private static final Pattern PATTERN =
      Pattern.compile(
          "^(?:([0-9]+)y)?(?:([0-9]+)w)?(?:([0-9]+)d)?(?:([0-9]+)h)?(?:([0-9]+)m)?(?:([0-9]+)s)?(?:([0-9]+)ms)?$");
  private static final long[] UNIT_MILLIS = {
    365L * 24 * 3600 * 1000, 7L * 24 * 3600 * 1000, 24L * 3600 * 1000, 3600_000L, 60_000L, 1000L, 1L
  };
  private static final String[] UNIT_NAMES = {"y", "w", "d", "h", "m", "s", "ms"};

  private PromDuration() {}

  /**
   * The duration in milliseconds.
   *
   * @throws IllegalArgumentException {@code not a valid duration string: "x"}
   */
  public static long parseMillis(String s) {
    if (s.equals("0")) {
      return 0;
    }
    Matcher m = PATTERN.matcher(s);
    if (s.isEmpty() || !m.matches()) {
      throw new IllegalArgumentException("not a valid duration string: " + StringLiterals.quote(s));
    }
    long total = 0;
    for (int i = 0; i < UNIT_MILLIS.length; i++) {
      String g = m.group(i + 1);
      if (g != null) {
        total = Math.addExact(total, Math.multiplyExact(Long.parseLong(g), UNIT_MILLIS[i]));
      }
    }
    return total;
  }

  /** The duration as Prometheus prints it: {@code 1h30m}, {@code 0s}. */
  public static String format(long millis) {
    if (millis == 0) {
      return "0s";
    }
    StringBuilder sb = new StringBuilder();
    if (millis < 0) {
      sb.append('-');
      millis = -millis;
    }
    for (int i = 0; i < UNIT_MILLIS.length; i++) {
      long n = millis / UNIT_MILLIS[i];
      if (n > 0) {
        sb.append(n).append(UNIT_NAMES[i]);
        millis -= n * UNIT_MILLIS[i];
      }
    }
    return sb.toString();
  }
}
