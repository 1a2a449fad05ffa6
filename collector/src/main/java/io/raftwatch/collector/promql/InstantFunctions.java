package io.raftwatch.collector.promql;

import io.raftwatch.collector.promql.Value.Sample;
import io.raftwatch.collector.tsdb.Labels;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * The functions over an instant vector, element by element or as a whole: math, {@code clamp*},
 * {@code round}, calendar functions, {@code timestamp}, {@code label_replace}, {@code label_join}
 * and {@code sort*}, with Prometheus 2.42's semantics (which drop the metric name, Go's float64
 * special cases, Go's regexp expansion). Stateless; called by the {@link Evaluator}.
 */
final class InstantFunctions {
  private InstantFunctions() {}

  /** Whether {@code f} maps each element's value alone (and drops the metric name). */
  static boolean isElementwise(Function f) {
    return switch (f) {
      case ABS,
              CEIL,
              FLOOR,
              SQRT,
              EXP,
              LN,
              LOG2,
              LOG10,
              SGN,
              ACOS,
              ACOSH,
              ASIN,
              ASINH,
              ATAN,
              ATANH,
              COS,
              COSH,
              SIN,
              SINH,
              TAN,
              TANH,
              DEG,
              RAD,
              DAY_OF_MONTH,
              DAY_OF_WEEK,
              DAY_OF_YEAR,
              DAYS_IN_MONTH,
              HOUR,
              MINUTE,
              MONTH,
              YEAR ->
          true;
      default -> false;
    };
  }

  /** {@code f} applied to one value. */
  static double elementwise(Function f, double v) {
    return switch (f) {
      case ABS -> Math.abs(v);
      case CEIL -> Math.ceil(v);
      case FLOOR -> Math.floor(v);
      case SQRT -> Math.sqrt(v);
      case EXP -> GoMath.exp(v);
      case LN -> GoMath.log(v);
      case LOG2 -> GoMath.log2(v);
      case LOG10 -> GoMath.log10(v);
      case SGN -> v < 0 ? -1 : v > 0 ? 1 : v;
      case ACOS -> GoMath.acos(v);
      case ACOSH -> GoMath.acosh(v);
      case ASIN -> StrictMath.asin(v);
      case ASINH -> GoMath.asinh(v);
      case ATAN -> StrictMath.atan(v);
      case ATANH -> GoMath.atanh(v);
      case COS -> GoMath.cos(v);
      case COSH -> GoMath.cosh(v);
      case SIN -> GoMath.sin(v);
      case SINH -> GoMath.sinh(v);
      case TAN -> GoMath.tan(v);
      case TANH -> GoMath.tanh(v);
      case DEG -> v * 180 / Math.PI;
      case RAD -> v * Math.PI / 180;
      case DAY_OF_MONTH -> date(v).getDayOfMonth();
      case DAY_OF_WEEK -> date(v).getDayOfWeek().getValue() % 7;
      case DAY_OF_YEAR -> date(v).getDayOfYear();
      case DAYS_IN_MONTH -> date(v).toLocalDate().lengthOfMonth();
      case HOUR -> date(v).getHour();
      case MINUTE -> date(v).getMinute();
      case MONTH -> date(v).getMonthValue();
      case YEAR -> date(v).getYear();
      default -> throw new IllegalStateException("not elementwise: " + f.promqlName());
    };
  }

  private static ZonedDateTime date(double seconds) {
    return ZonedDateTime.ofInstant(Instant.ofEpochSecond((long) seconds), ZoneOffset.UTC);
  }

  /** Maps each element with {@code f}, dropping the metric name. */
  static List<Sample> mapValues(List<Sample> v, long t, java.util.function.DoubleUnaryOperator f) {
    List<Sample> out = new ArrayList<>(v.size());
    for (Sample s : v) {
      out.add(new Sample(s.labels().withoutName(), t, f.applyAsDouble(s.value())));
    }
    return out;
  }

  /** {@code clamp(v, min, max)}: empty when max &lt; min. */
  static List<Sample> clamp(List<Sample> v, double min, double max, long t) {
    if (max < min) {
      return List.of();
    }
    return mapValues(v, t, x -> Math.max(min, Math.min(max, x)));
  }

  /** {@code round(v, toNearest)}: half up, to a multiple of {@code toNearest}. */
  static List<Sample> round(List<Sample> v, double toNearest, long t) {
    double inverse = 1.0 / toNearest;
    return mapValues(v, t, x -> Math.floor(x * inverse + 0.5) / inverse);
  }

  /** {@code timestamp(v)}: each sample's own time in seconds. */
  static List<Sample> timestamp(List<Sample> v, long t) {
    List<Sample> out = new ArrayList<>(v.size());
    for (Sample s : v) {
      out.add(new Sample(s.labels().withoutName(), t, s.timestampMillis() / 1000.0));
    }
    return out;
  }

  /**
   * {@code sort} (ascending) or {@code sort_desc}; NaN sorts first in both, as in Prometheus 2.42.
   */
  static List<Sample> sort(List<Sample> v, boolean descending) {
    List<Sample> out = new ArrayList<>(v);
    Comparator<Sample> byValue =
        (a, b) -> {
          boolean an = Double.isNaN(a.value());
          boolean bn = Double.isNaN(b.value());
          if (an || bn) {
            return an == bn ? 0 : an ? -1 : 1;
          }
          return descending
              ? Double.compare(b.value(), a.value())
              : Double.compare(a.value(), b.value());
        };
    out.sort(byValue);
    return out;
  }

  /** {@code label_replace(v, dst, replacement, src, regex)}. */
  static List<Sample> labelReplace(
      List<Sample> v, String dst, String replacement, String src, String regex, long t) {
    Pattern pattern;
    try {
      pattern = Pattern.compile("^(?:" + regex.replace("(?P<", "(?<") + ")$");
    } catch (PatternSyntaxException e) {
      throw new PromqlEvalException("invalid regular expression in label_replace(): " + regex);
    }
    if (!Parser.isValidLabelName(dst)) {
      throw new PromqlEvalException("invalid destination label name in label_replace(): " + dst);
    }
    List<Sample> out = new ArrayList<>(v.size());
    for (Sample s : v) {
      Matcher m = pattern.matcher(s.labels().get(src));
      Labels labels = s.labels();
      if (m.matches()) {
        labels = labels.toBuilder().set(dst, expand(replacement, m)).build();
      }
      out.add(new Sample(labels, t, s.value()));
    }
    return out;
  }

  /** {@code label_join(v, dst, separator, src...)}. */
  static List<Sample> labelJoin(
      List<Sample> v, String dst, String separator, List<String> src, long t) {
    if (!Parser.isValidLabelName(dst)) {
      throw new PromqlEvalException("invalid destination label name in label_join(): " + dst);
    }
    for (String s : src) {
      if (!Parser.isValidLabelName(s)) {
        throw new PromqlEvalException("invalid source label name in label_join(): " + s);
      }
    }
    List<Sample> out = new ArrayList<>(v.size());
    for (Sample s : v) {
      StringBuilder joined = new StringBuilder();
      for (int i = 0; i < src.size(); i++) {
        if (i > 0) {
          joined.append(separator);
        }
        joined.append(s.labels().get(src.get(i)));
      }
      out.add(new Sample(s.labels().toBuilder().set(dst, joined.toString()).build(), t, s.value()));
    }
    return out;
  }

  /**
   * Go's {@code Regexp.ExpandString}: {@code $1}, {@code ${1}}, {@code $name}, {@code ${name}}, and
   * {@code $$}; a name is the longest run of letters, digits and underscores, so {@code $1x} names
   * the group "1x" and expands to "" when there is none.
   */
  static String expand(String template, Matcher m) {
    StringBuilder sb = new StringBuilder();
    int i = 0;
    while (i < template.length()) {
      char c = template.charAt(i);
      if (c != '$' || i + 1 >= template.length()) {
        sb.append(c);
        i++;
        continue;
      }
      char next = template.charAt(i + 1);
      if (next == '$') {
        sb.append('$');
        i += 2;
        continue;
      }
      String name;
      int end;
      if (next == '{') {
        int close = template.indexOf('}', i + 2);
        if (close < 0) {
          sb.append(c);
          i++;
          continue;
        }
        name = template.substring(i + 2, close);
        end = close + 1;
      } else {
        int j = i + 1;
        while (j < template.length() && (Lexer.isAlphaNumeric(template.charAt(j)))) {
          j++;
        }
        name = template.substring(i + 1, j);
        end = j;
      }
      if (name.isEmpty() || !name.chars().allMatch(ch -> Lexer.isAlphaNumeric((char) ch))) {
        sb.append(c);
        i++;
        continue;
      }
      sb.append(group(m, name));
      i = end;
    }
    return sb.toString();
  }

  private static String group(Matcher m, String name) {
    String g = null;
    if (name.chars().allMatch(ch -> ch >= '0' && ch <= '9')) {
      try {
        int n = Integer.parseInt(name);
        if (n <= m.groupCount()) {
          g = m.group(n);
        }
      } catch (NumberFormatException e) {
        g = null;
      }
    } else {
      try {
        g = m.group(name);
      } catch (IllegalArgumentException e) {
        g = null;
      }
    }
    return g == null ? "" : g;
  }
}
