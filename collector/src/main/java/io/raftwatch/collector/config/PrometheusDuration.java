package io.raftwatch.collector.config;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Durations written as Prometheus writes them: {@code 15s}, {@code 1m30s}, {@code 500ms}, {@code
 * 1h}, units in decreasing order, each at most once (prometheus/common {@code model.ParseDuration}).
 * Stateless.
 */
public final class PrometheusDuration {
  private static final Pattern SYNTAX =
      Pattern.compile(
          "(?:(\\d+)y)?(?:(\\d+)w)?(?:(\\d+)d)?(?:(\\d+)h)?(?:(\\d+)m)?(?:(\\d+)s)?(?:(\\d+)ms)?");
  private static final long[] UNIT_MILLIS = {
    365L * 24 * 3600_000, 7L * 24 * 3600_000, 24L * 3600_000, 3600_000, 60_000, 1000, 1
  };

  private PrometheusDuration() {}

  /**
   * Parses {@code text}.
   *
   * @throws IllegalArgumentException saying what was expected
   */
  public static Duration parse(String text) {
    Matcher m = SYNTAX.matcher(text);
    if (text.isEmpty() || !m.matches()) {
      throw new IllegalArgumentException(
          "'" + text + "' is not a duration; expected e.g. 15s, 1m, 1m30s, 500ms");
    }
    long millis = 0;
    for (int i = 0; i < UNIT_MILLIS.length; i++) {
      String group = m.group(i + 1);
      if (group != null) {
        millis = Math.addExact(millis, Math.multiplyExact(Long.parseLong(group), UNIT_MILLIS[i]));
      }
    }
    return Duration.ofMillis(millis);
  }

  /** Formats as Prometheus does: {@code 15s}, {@code 1m30s}, {@code 0s}. */
  public static String format(Duration duration) {
    long millis = duration.toMillis();
    if (millis == 0) {
      return "0s";
    }
    String[] units = {"y", "w", "d", "h", "m", "s", "ms"};
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < UNIT_MILLIS.length; i++) {
      long n = millis / UNIT_MILLIS[i];
      if (n > 0) {
        out.append(n).append(units[i]);
        millis -= n * UNIT_MILLIS[i];
      }
    }
    return out.toString();
  }
}
