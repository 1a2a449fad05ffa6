package io.raftwatch.collector.rules.template;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The functions a Prometheus alert template may call: Go's built-ins ({@code and or not eq ne lt
 * le gt ge len index print printf println}) and Prometheus's ({@code humanize humanize1024
 * humanizeDuration humanizePercentage title toUpper toLower reReplaceAll match stripPort
 * stripDomain}), with Prometheus's number formatting ({@code %.4g} with SI or binary prefixes).
 * Stateless; any thread. {@code query}, {@code first}, {@code label} and the link helpers are not
 * provided.
 */
public final class TemplateFunctions {
  /** The names {@link TemplateParser} accepts. */
  static final Set<String> NAMES =
      Set.of(
          "and", "or", "not", "eq", "ne", "lt", "le", "gt", "ge", "len", "index", "print",
          "printf", "println", "humanize", "humanize1024", "humanizeDuration",
          "humanizePercentage", "title", "toUpper", "toLower", "reReplaceAll", "match",
          "stripPort", "stripDomain");

  private static final String[] BIG = {"k", "M", "G", "T", "P", "E", "Z", "Y"};
  private static final String[] BINARY = {"ki", "Mi", "Gi", "Ti", "Pi", "Ei", "Zi", "Yi"};
  private static final String[] SMALL = {"m", "u", "n", "p", "f", "a", "z", "y"};

  /** A function's own error, which the template wraps with its position. */
  static final class CallException extends Exception {
    CallException(String message) {
      super(message);
    }
  }

  Object call(String name, List<Object> a) throws CallException {
    return switch (name) {
      case "and" -> {
        need(a, 1, -1);
        Object v = a.get(0);
        for (Object x : a) {
          v = x;
          if (!GoTemplate.truth(x)) {
            break;
          }
        }
        yield v;
      }
      case "or" -> {
        need(a, 1, -1);
        Object v = a.get(0);
        for (Object x : a) {
          v = x;
          if (GoTemplate.truth(x)) {
            break;
          }
        }
        yield v;
      }
      case "not" -> {
        need(a, 1, 1);
        yield !GoTemplate.truth(a.get(0));
      }
      case "eq" -> {
        need(a, 2, -1);
        boolean any = false;
        for (int i = 1; i < a.size(); i++) {
          any |= compare(a.get(0), a.get(i), true) == 0;
        }
        yield any;
      }
      case "ne" -> {
        need(a, 2, 2);
        yield compare(a.get(0), a.get(1), true) != 0;
      }
      // Go defines le as lt || eq, gt as !le and ge as !lt: with NaN, gt and ge are true.
      case "lt" -> less(a);
      case "le" -> less(a) || equal(a);
      case "gt" -> !(less(a) || equal(a));
      case "ge" -> !less(a);
      case "len" -> {
        need(a, 1, 1);
        Object v = a.get(0);
        if (v instanceof String s) {
          yield (long) s.getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
        }
        if (v instanceof Map<?, ?> m) {
          yield (long) m.size();
        }
        throw new CallException("len of type " + GoFormat.goType(v));
      }
      case "index" -> {
        need(a, 2, 2);
        if (a.get(0) instanceof Map<?, ?> m) {
          Object v = m.get(a.get(1));
          // A map[string]string yields its zero value for a missing key.
          yield v == null ? "" : v;
        }
        throw new CallException("can't index item of type " + GoFormat.goType(a.get(0)));
      }
      case "print" -> sprint(a);
      case "println" -> {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < a.size(); i++) {
          sb.append(i == 0 ? "" : " ").append(GoFormat.print(a.get(i)));
        }
        yield sb.append('\n').toString();
      }
      case "printf" -> {
        need(a, 1, -1);
        yield GoFormat.sprintf(string(a.get(0)), a.subList(1, a.size()));
      }
      case "humanize" -> humanize(toFloat(one(a)));
      case "humanize1024" -> humanize1024(toFloat(one(a)));
      case "humanizeDuration" -> humanizeDuration(toFloat(one(a)));
      case "humanizePercentage" -> GoFormat.formatG(toFloat(one(a)) * 100, 4) + "%";
      case "title" -> title(string(one(a)));
      case "toUpper" -> string(one(a)).toUpperCase(java.util.Locale.ROOT);
      case "toLower" -> string(one(a)).toLowerCase(java.util.Locale.ROOT);
      case "reReplaceAll" -> {
        need(a, 3, 3);
        yield compile(string(a.get(0)))
            .matcher(string(a.get(2)))
            .replaceAll(goReplacement(string(a.get(1))));
      }
      case "match" -> {
        need(a, 2, 2);
        yield compile(string(a.get(0))).matcher(string(a.get(1))).find();
      }
      case "stripPort" -> {
        String s = string(one(a));
        int colon = s.lastIndexOf(':');
        if (s.startsWith("[") && s.contains("]")) {
          yield s.substring(1, s.indexOf(']'));
        }
        yield colon >= 0 && s.indexOf(':') == colon ? s.substring(0, colon) : s;
      }
      case "stripDomain" -> {
        String s = string(one(a));
        String port = "";
        int colon = s.lastIndexOf(':');
        if (colon >= 0 && s.indexOf(':') == colon) {
          port = s.substring(colon);
          s = s.substring(0, colon);
        }
        int dot = s.indexOf('.');
        yield (dot >= 0 && !s.matches("[0-9.]+") ? s.substring(0, dot) : s) + port;
      }
      default -> throw new CallException("function \"" + name + "\" not defined");
    };
  }

  private static void need(List<Object> a, int min, int max) throws CallException {
    if (a.size() < min || (max >= 0 && a.size() > max)) {
      throw new CallException(
          "wrong number of args: got " + a.size() + " want " + (max == min ? "" : "at least ")
              + min);
    }
  }

  private static Object one(List<Object> a) throws CallException {
    need(a, 1, 1);
    return a.get(0);
  }

  private static String sprint(List<Object> a) {
    // Go's Sprint puts spaces only between operands that are not both strings.
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < a.size(); i++) {
      if (i > 0 && !(a.get(i) instanceof String) && !(a.get(i - 1) instanceof String)) {
        sb.append(' ');
      }
      sb.append(GoFormat.print(a.get(i)));
    }
    return sb.toString();
  }

  private static String string(Object v) throws CallException {
    if (v instanceof String s) {
      return s;
    }
    throw new CallException(
        "wrong type for value; expected string; got " + GoFormat.goType(v));
  }

  private static boolean less(List<Object> a) throws CallException {
    need(a, 2, 2);
    return compare(a.get(0), a.get(1), false) == -1;
  }

  private static boolean equal(List<Object> a) throws CallException {
    return compare(a.get(0), a.get(1), true) == 0;
  }

  /** Go's comparison of basic values: ints with ints, floats with floats, strings with strings. */
  private static int compare(Object x, Object y, boolean equality) throws CallException {
    if (x instanceof Long i && y instanceof Long j) {
      return Long.signum(Long.compare(i, j));
    }
    if (x instanceof Double f && y instanceof Double g) {
      // NaN is neither less, equal nor greater; Go's lt/gt/eq all answer false.
      if (f.isNaN() || g.isNaN()) {
        return 2;
      }
      return f < g ? -1 : f.doubleValue() == g.doubleValue() ? 0 : 1;
    }
    if (x instanceof String s && y instanceof String t) {
      return Integer.signum(s.compareTo(t));
    }
    if (equality && x instanceof Boolean b && y instanceof Boolean c) {
      return b.equals(c) ? 0 : 1;
    }
    if (x == null || y == null) {
      throw new CallException("invalid type for comparison");
    }
    throw new CallException("incompatible types for comparison");
  }

  /** Prometheus's convertToFloat: floats, ints, and strings that parse as floats. */
  static double toFloat(Object v) throws CallException {
    if (v instanceof Double d) {
      return d;
    }
    if (v instanceof Long l) {
      return l;
    }
    if (v instanceof String s) {
      try {
        return switch (s.toLowerCase(java.util.Locale.ROOT)) {
          case "inf", "+inf", "infinity", "+infinity" -> Double.POSITIVE_INFINITY;
          case "-inf", "-infinity" -> Double.NEGATIVE_INFINITY;
          case "nan" -> Double.NaN;
          default -> Double.parseDouble(s);
        };
      } catch (NumberFormatException e) {
        throw new CallException("strconv.ParseFloat: parsing " + GoFormat.quote(s) + ": invalid syntax");
      }
    }
    throw new CallException("can't convert " + GoFormat.goType(v) + " to float");
  }

  static String humanize(double v) {
    if (v == 0 || Double.isNaN(v) || Double.isInfinite(v)) {
      return GoFormat.formatG(v, 4);
    }
    String prefix = "";
    if (Math.abs(v) >= 1) {
      for (String p : BIG) {
        if (Math.abs(v) < 1000) {
          break;
        }
        prefix = p;
        v /= 1000;
      }
    } else {
      for (String p : SMALL) {
        if (Math.abs(v) >= 1) {
          break;
        }
        prefix = p;
        v *= 1000;
      }
    }
    return GoFormat.formatG(v, 4) + prefix;
  }

  static String humanize1024(double v) {
    if (Math.abs(v) <= 1 || Double.isNaN(v) || Double.isInfinite(v)) {
      return GoFormat.formatG(v, 4);
    }
    String prefix = "";
    for (String p : BINARY) {
      if (Math.abs(v) < 1024) {
        break;
      }
      prefix = p;
      v /= 1024;
    }
    return GoFormat.formatG(v, 4) + prefix;
  }

  static String humanizeDuration(double v) {
    if (Double.isNaN(v) || Double.isInfinite(v)) {
      return GoFormat.formatG(v, 4);
    }
    if (v == 0) {
      return GoFormat.formatG(v, 4) + "s";
    }
    if (Math.abs(v) >= 1) {
      String sign = "";
      if (v < 0) {
        sign = "-";
        v = -v;
      }
      long duration = goInt64(v);
      long seconds = duration % 60;
      long minutes = (duration / 60) % 60;
      long hours = (duration / 60 / 60) % 24;
      long days = duration / 60 / 60 / 24;
      if (days != 0) {
        return sign + days + "d " + hours + "h " + minutes + "m " + seconds + "s";
      }
      if (hours != 0) {
        return sign + hours + "h " + minutes + "m " + seconds + "s";
      }
      if (minutes != 0) {
        return sign + minutes + "m " + seconds + "s";
      }
      return sign + GoFormat.formatG(v, 4) + "s";
    }
    String prefix = "";
    for (String p : SMALL) {
      if (Math.abs(v) >= 1) {
        break;
      }
      prefix = p;
      v *= 1000;
    }
    return GoFormat.formatG(v, 4) + prefix + "s";
  }

  /**
   * Go's {@code int64(v)} on amd64: out of range (and NaN) gives the "integer indefinite" value
   * {@link Long#MIN_VALUE}, where Java would saturate.
   */
  private static long goInt64(double v) {
    if (Double.isNaN(v) || v >= 0x1p63 || v < -0x1p63) {
      return Long.MIN_VALUE;
    }
    return (long) v;
  }

  /** Go's deprecated {@code strings.Title}: upper-cases the first letter of every word. */
  static String title(String s) {
    StringBuilder sb = new StringBuilder(s.length());
    boolean prevSeparator = true;
    for (int i = 0; i < s.length(); ) {
      int cp = s.codePointAt(i);
      sb.appendCodePoint(prevSeparator ? Character.toTitleCase(cp) : cp);
      prevSeparator = !(Character.isLetterOrDigit(cp) || cp == '_');
      i += Character.charCount(cp);
    }
    return sb.toString();
  }

  private static Pattern compile(String regex) throws CallException {
    try {
      return Pattern.compile(regex);
    } catch (java.util.regex.PatternSyntaxException e) {
      throw new CallException("error parsing regexp: " + e.getDescription() + ": `" + regex + "`");
    }
  }

  /**
   * Go's replacement syntax ({@code $1}, {@code ${1}}, {@code ${name}}, {@code $$}) in Java's,
   * where a backslash is special and Go's is literal.
   */
  private static String goReplacement(String repl) {
    StringBuilder sb = new StringBuilder();
    Matcher m = Pattern.compile("\\$(\\$|\\{(\\w+)\\}|(\\w+))").matcher(repl);
    int last = 0;
    while (m.find()) {
      sb.append(Matcher.quoteReplacement(repl.substring(last, m.start())));
      if (m.group(1).equals("$")) {
        sb.append("\\$");
      } else {
        String ref = m.group(2) != null ? m.group(2) : m.group(3);
        sb.append(ref.matches("\\d+") ? "$" + ref : "${" + ref + "}");
      }
      last = m.end();
    }
    sb.append(Matcher.quoteReplacement(repl.substring(last)));
    return sb.toString();
  }
}
