package io.raftwatch.collector.web;

import io.raftwatch.collector.promql.Engine;
import io.raftwatch.collector.promql.Expr;
import io.raftwatch.collector.promql.GoNumbers;
import io.raftwatch.collector.promql.PromDuration;
import io.raftwatch.collector.promql.PromqlParseException;
import io.raftwatch.collector.tsdb.LabelMatcher;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Parameter parsing of the Prometheus HTTP API, with its rules and messages ({@code
 * web/api/v1/api.go}, Prometheus 2.42): times as unix seconds with a fraction or RFC 3339 with a
 * zone; durations as seconds or Prometheus durations ({@code 5m}); series selectors for {@code
 * match[]}. Each failure is an {@link ApiException} of type {@code bad_data} naming the parameter.
 * Stateless.
 */
final class ApiParams {
  private ApiParams() {}

  /**
   * Parameter {@code name} as a time, or {@code fallback} when the parameter is absent or empty
   * (Go's {@code parseTimeParam}, whose message adds "Invalid time value for 'time'").
   */
  static Instant time(WebRequest r, String name, Instant fallback) throws ApiException {
    String s = r.param(name);
    if (s.isEmpty()) {
      return fallback;
    }
    Optional<Instant> t = parseTime(s);
    if (t.isEmpty()) {
      throw ApiException.invalidParam(
          name, "Invalid time value for '" + name + "': " + cannotParse(s));
    }
    return t.get();
  }

  /** Go's {@code parseTime}: unix seconds rounded to the millisecond, or RFC 3339. */
  static Instant parseTime(String name, String s) throws ApiException {
    Optional<Instant> t = parseTime(s);
    if (t.isEmpty()) {
      throw ApiException.invalidParam(name, cannotParse(s));
    }
    return t.get();
  }

  private static String cannotParse(String s) {
    return "cannot parse \"" + s + "\" to a valid timestamp";
  }

  private static Optional<Instant> parseTime(String s) {
    try {
      double seconds = GoNumbers.parseFloat(s);
      if (Double.isFinite(seconds) && Math.abs(seconds) < 9.2e15) {
        double whole = seconds < 0 ? Math.ceil(seconds) : Math.floor(seconds);
        long millis = Math.round((seconds - whole) * 1000);
        return Optional.of(Instant.ofEpochSecond((long) whole).plusMillis(millis));
      }
    } catch (NumberFormatException notANumber) {
      try {
        return Optional.of(OffsetDateTime.parse(s).toInstant());
      } catch (DateTimeParseException notRfc3339) {
        // Neither form.
      }
    }
    return Optional.empty();
  }

  /** Go's {@code parseDuration}: seconds (with a fraction) or a Prometheus duration. */
  static Duration parseDuration(String name, String s) throws ApiException {
    try {
      double seconds = GoNumbers.parseFloat(s);
      if (Double.isFinite(seconds) && Math.abs(seconds) < 9.2e9) {
        return Duration.ofNanos(Math.round(seconds * 1e9));
      }
      throw ApiException.invalidParam(
          name, "cannot parse \"" + s + "\" to a valid duration. It overflows int64");
    } catch (NumberFormatException notANumber) {
      try {
        return Duration.ofMillis(PromDuration.parseMillis(s));
      } catch (IllegalArgumentException | ArithmeticException notADuration) {
        throw ApiException.invalidParam(name, "cannot parse \"" + s + "\" to a valid duration");
      }
    }
  }

  /** A PromQL expression from parameter {@code name}, with the parser's message on failure. */
  static Expr query(WebRequest r, String name) throws ApiException {
    try {
      return Engine.parse(r.param(name));
    } catch (PromqlParseException e) {
      throw ApiException.invalidParam(name, e.getMessage());
    }
  }

  /**
   * The {@code match[]} selectors, each a list of matchers; empty when none was given.
   *
   * @throws ApiException when one is not a series selector or has only empty-matching matchers
   */
  static List<List<LabelMatcher>> matchers(WebRequest r) throws ApiException {
    List<List<LabelMatcher>> sets = new ArrayList<>();
    for (String s : r.params("match[]")) {
      Expr e;
      try {
        e = Engine.parse(s);
      } catch (PromqlParseException ex) {
        throw new ApiException(ApiException.ErrorType.BAD_DATA, ex.getMessage());
      }
      if (!(e instanceof Expr.VectorSelector vs) || vs.offsetMillis() != 0 || vs.at() != null) {
        throw new ApiException(
            ApiException.ErrorType.BAD_DATA,
            "invalid parameter \"match[]\": " + s + " is not a series selector");
      }
      if (vs.matchers().stream().allMatch(LabelMatcher::matchesEmpty)) {
        throw new ApiException(
            ApiException.ErrorType.BAD_DATA,
            "match[] must contain at least one non-empty matcher");
      }
      sets.add(vs.matchers());
    }
    return sets;
  }
}
