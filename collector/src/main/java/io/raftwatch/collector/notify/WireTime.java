package io.raftwatch.collector.notify;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * Timestamps in the two forms the Alertmanager wire formats use. Stateless.
 *
 * <ul>
 *   <li>The v2 API's {@code strfmt.DateTime}: RFC 3339 with exactly three fraction digits,
 *       {@code 2026-11-24T20:15:00.000Z}; this is what Prometheus posts.
 *   <li>Go's {@code time.Time} JSON (the webhook payload): RFC 3339 with up to nine fraction
 *       digits and trailing zeros dropped, {@code 2026-11-24T20:15:00.1Z}; Go's zero time, {@code
 *       0001-01-01T00:00:00Z}, stands for "no end yet".
 * </ul>
 */
final class WireTime {
  private static final DateTimeFormatter MILLIS =
      DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSXXX").withZone(ZoneOffset.UTC);
  private static final DateTimeFormatter SECONDS =
      DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss").withZone(ZoneOffset.UTC);
  /** Go's zero {@code time.Time}. */
  static final String GO_ZERO = "0001-01-01T00:00:00Z";

  private WireTime() {}

  static String millis(Instant t) {
    return MILLIS.format(t);
  }

  static String goTime(Instant t) {
    StringBuilder sb = new StringBuilder(SECONDS.format(t));
    int nanos = t.getNano();
    if (nanos != 0) {
      String digits = String.format("%09d", nanos).replaceFirst("0+$", "");
      sb.append('.').append(digits);
    }
    return sb.append('Z').toString();
  }
}
