package io.raftwatch.collector.config;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Sizes such as {@code 50MiB} or {@code 512KB}, as Prometheus's {@code body_size_limit} takes
 * them: every unit is a power of two ({@code MB} = {@code MiB}). Stateless.
 */
public final class ByteSize {
  private static final Pattern SYNTAX = Pattern.compile("(\\d+)\\s*([KMGT]i?B|B)?");

  private ByteSize() {}

  /**
   * Parses {@code text} into bytes.
   *
   * @throws IllegalArgumentException saying what was expected
   */
  public static long parse(String text) {
    Matcher m = SYNTAX.matcher(text.trim());
    if (!m.matches()) {
      throw new IllegalArgumentException(
          "'" + text + "' is not a size; expected e.g. 50MiB, 512KiB, 1GiB or a number of bytes");
    }
    long n = Long.parseLong(m.group(1));
    String unit = m.group(2) == null ? "B" : m.group(2).toUpperCase(Locale.ROOT);
    int shift =
        switch (unit.charAt(0)) {
          case 'K' -> 10;
          case 'M' -> 20;
          case 'G' -> 30;
          case 'T' -> 40;
          default -> 0;
        };
    if (n > (Long.MAX_VALUE >> shift)) {
      throw new IllegalArgumentException("'" + text + "' is too large");
    }
    return n << shift;
  }

  /** Formats a byte count for people: {@code 50 MiB}, {@code 512 KiB}, {@code 100 B}. */
  public static String format(long bytes) {
    String[] units = {"B", "KiB", "MiB", "GiB", "TiB"};
    int i = 0;
    while (i < units.length - 1 && bytes >= 1024 && bytes % 1024 == 0) {
      bytes >>= 10;
      i++;
    }
    return bytes + " " + units[i];
  }
}
