package io.raftwatch.collector.rules.template;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Go's {@code fmt} formatting of the values a template handles: {@code %v} printing and {@code
 * printf} verbs ({@code %v %s %q %d %f %e %g %x %%} with width and precision), with Go's exact
 * rules for floats ({@code %.4g} rounds the exact binary value half to even and drops trailing
 * zeros). Stateless; any thread.
 */
final class GoFormat {
  private GoFormat() {}

  /** Go's {@code fmt.Sprint(v)} of a template value. */
  static String print(Object v) {
    if (v == null) {
      return "<no value>";
    }
    if (v instanceof Double d) {
      return formatG(d, -1);
    }
    if (v instanceof Map<?, ?> m) {
      StringBuilder sb = new StringBuilder("map[");
      boolean first = true;
      for (Map.Entry<?, ?> e : new TreeMap<>(m).entrySet()) {
        if (!first) {
          sb.append(' ');
        }
        first = false;
        sb.append(print(e.getKey())).append(':').append(print(e.getValue()));
      }
      return sb.append(']').toString();
    }
    if (v instanceof List<?> l) {
      StringBuilder sb = new StringBuilder("[");
      for (int i = 0; i < l.size(); i++) {
        sb.append(i == 0 ? "" : " ").append(print(l.get(i)));
      }
      return sb.append(']').toString();
    }
    return v.toString();
  }

  /** Go's type name of a template value, for {@code %!d(float64=1.5)} and error messages. */
  static String goType(Object v) {
    if (v == null) {
      return "<nil>";
    }
    if (v instanceof Double) {
      return "float64";
    }
    if (v instanceof Long) {
      return "int";
    }
    if (v instanceof Boolean) {
      return "bool";
    }
    if (v instanceof String) {
      return "string";
    }
    if (v instanceof Map) {
      return "map[string]string";
    }
    return v.getClass().getSimpleName();
  }

  /** Go's {@code fmt.Sprintf(format, args...)}. */
  static String sprintf(String format, List<Object> args) {
    StringBuilder out = new StringBuilder();
    int argi = 0;
    int i = 0;
    int n = format.length();
    while (i < n) {
      char c = format.charAt(i);
      if (c != '%') {
        out.append(c);
        i++;
        continue;
      }
      i++;
      if (i >= n) {
        out.append("%!(NOVERB)");
        break;
      }
      boolean minus = false;
      boolean plus = false;
      boolean zero = false;
      boolean space = false;
      for (; i < n; i++) {
        char f = format.charAt(i);
        if (f == '-') {
          minus = true;
        } else if (f == '+') {
          plus = true;
        } else if (f == '0') {
          zero = true;
        } else if (f == ' ') {
          space = true;
        } else if (f != '#') {
          break;
        }
      }
      int width = -1;
      int start = i;
      while (i < n && Character.isDigit(format.charAt(i))) {
        i++;
      }
      if (i > start) {
        width = Integer.parseInt(format.substring(start, i));
      }
      int prec = -1;
      if (i < n && format.charAt(i) == '.') {
        i++;
        start = i;
        while (i < n && Character.isDigit(format.charAt(i))) {
          i++;
        }
        prec = i > start ? Integer.parseInt(format.substring(start, i)) : 0;
      }
      if (i >= n) {
        out.append("%!(NOVERB)");
        break;
      }
      char verb = format.charAt(i++);
      if (verb == '%') {
        out.append('%');
        continue;
      }
      if (argi >= args.size()) {
        out.append("%!").append(verb).append("(MISSING)");
        continue;
      }
      Object arg = args.get(argi++);
      String s = formatOne(verb, prec, plus, space, arg);
      out.append(pad(s, width, minus, zero && !minus && !(arg instanceof String)));
    }
    if (argi < args.size()) {
      out.append("%!(EXTRA ");
      for (int k = argi; k < args.size(); k++) {
        out.append(k == argi ? "" : ", ")
            .append(goType(args.get(k)))
            .append('=')
            .append(print(args.get(k)));
      }
      out.append(')');
    }
    return out.toString();
  }

  private static String formatOne(char verb, int prec, boolean plus, boolean space, Object arg) {
    if (arg instanceof Double d) {
      String s =
          switch (verb) {
            case 'v', 'g' -> formatG(d, prec);
            case 'f', 'F' -> formatF(d, prec < 0 ? 6 : prec);
            case 'e' -> formatE(d, prec < 0 ? 6 : prec);
            default -> null;
          };
      if (s == null) {
        return bad(verb, arg);
      }
      if (plus && !s.startsWith("-") && !s.startsWith("+")) {
        s = "+" + s;
      } else if (space && !s.startsWith("-") && !s.startsWith("+")) {
        s = " " + s;
      }
      return s;
    }
    if (arg instanceof Long l) {
      return switch (verb) {
        case 'v', 'd' -> (plus && l >= 0 ? "+" : "") + l;
        case 'x' -> Long.toHexString(l);
        default -> bad(verb, arg);
      };
    }
    if (arg instanceof String s) {
      return switch (verb) {
        case 'v', 's' -> prec >= 0 && prec < s.length() ? s.substring(0, prec) : s;
        case 'q' -> quote(s);
        case 'x' -> hex(s);
        default -> bad(verb, arg);
      };
    }
    if (verb == 'v' || (verb == 't' && arg instanceof Boolean)) {
      return print(arg);
    }
    return bad(verb, arg);
  }

  private static String bad(char verb, Object arg) {
    return "%!" + verb + "(" + goType(arg) + "=" + print(arg) + ")";
  }

  private static String pad(String s, int width, boolean left, boolean zeros) {
    if (width < 0 || s.length() >= width) {
      return s;
    }
    String fill = (zeros ? "0" : " ").repeat(width - s.length());
    if (left) {
      return s + fill;
    }
    if (zeros && (s.startsWith("-") || s.startsWith("+"))) {
      return s.charAt(0) + fill + s.substring(1);
    }
    return fill + s;
  }

  /** Go's {@code strconv.Quote}. */
  static String quote(String s) {
    StringBuilder sb = new StringBuilder("\"");
    s.codePoints()
        .forEach(
            cp -> {
              switch (cp) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\t' -> sb.append("\\t");
                case '\r' -> sb.append("\\r");
                default -> {
                  if (cp < 0x20 || cp == 0x7f) {
                    sb.append(String.format("\\x%02x", cp));
                  } else {
                    sb.appendCodePoint(cp);
                  }
                }
              }
            });
    return sb.append('"').toString();
  }

  private static String hex(String s) {
    StringBuilder sb = new StringBuilder();
    for (byte b : s.getBytes(java.nio.charset.StandardCharsets.UTF_8)) {
      sb.append(String.format("%02x", b));
    }
    return sb.toString();
  }

  private static String special(double v) {
    if (Double.isNaN(v)) {
      return "NaN";
    }
    if (Double.isInfinite(v)) {
      return v > 0 ? "+Inf" : "-Inf";
    }
    return null;
  }

  /** Significant digits (trailing zeros dropped) and the decimal point position of {@code v}. */
  private record Digits(boolean negative, String digits, int dp) {}

  private static Digits digits(double v, int significant) {
    boolean negative = Double.doubleToRawLongBits(v) < 0;
    if (v == 0) {
      return new Digits(negative, "0", 1);
    }
    BigDecimal d =
        significant < 0
            // Shortest digits that round-trip.
            ? new BigDecimal(Double.toString(Math.abs(v)))
            : new BigDecimal(Math.abs(v))
                .round(new MathContext(significant, RoundingMode.HALF_EVEN));
    d = d.stripTrailingZeros();
    String ds = d.unscaledValue().toString();
    return new Digits(negative, ds, ds.length() - d.scale());
  }

  /** Go's {@code %g} ({@code prec < 0}: {@code %v}, the shortest representation). */
  static String formatG(double v, int prec) {
    String sp = special(v);
    if (sp != null) {
      return sp;
    }
    if (prec == 0) {
      prec = 1;
    }
    Digits d = digits(v, prec);
    int nd = d.digits.length();
    int eprec = prec;
    if (prec < 0) {
      eprec = 6;
    } else if (eprec > nd && nd >= d.dp) {
      eprec = nd;
    }
    int exp = d.dp - 1;
    if (v != 0 && (exp < -4 || exp >= eprec)) {
      return (d.negative ? "-" : "") + eForm(d.digits, exp);
    }
    return (d.negative ? "-" : "") + fForm(d.digits, d.dp, Math.max(nd - d.dp, 0));
  }

  /** Go's {@code %.Nf}. */
  static String formatF(double v, int prec) {
    String sp = special(v);
    if (sp != null) {
      return sp;
    }
    BigDecimal d = new BigDecimal(v).setScale(prec, RoundingMode.HALF_EVEN);
    String s = d.abs().toPlainString();
    return (Double.doubleToRawLongBits(v) < 0 ? "-" : "") + s;
  }

  /** Go's {@code %.Ne}. */
  static String formatE(double v, int prec) {
    String sp = special(v);
    if (sp != null) {
      return sp;
    }
    Digits d = digits(v, prec + 1);
    StringBuilder ds = new StringBuilder(d.digits);
    while (ds.length() < prec + 1) {
      ds.append('0');
    }
    String m = prec == 0 ? ds.substring(0, 1) : ds.charAt(0) + "." + ds.substring(1);
    int exp = v == 0 ? 0 : d.dp - 1;
    return (d.negative ? "-" : "") + m + "e" + (exp < 0 ? "-" : "+") + twoDigits(Math.abs(exp));
  }

  private static String eForm(String digits, int exp) {
    String m = digits.length() > 1 ? digits.charAt(0) + "." + digits.substring(1) : digits;
    return m + "e" + (exp < 0 ? "-" : "+") + twoDigits(Math.abs(exp));
  }

  private static String twoDigits(int e) {
    return e < 10 ? "0" + e : Integer.toString(e);
  }

  private static String fForm(String digits, int dp, int decimals) {
    StringBuilder sb = new StringBuilder();
    if (dp <= 0) {
      sb.append('0');
    } else {
      for (int i = 0; i < dp; i++) {
        sb.append(i < digits.length() ? digits.charAt(i) : '0');
      }
    }
    if (decimals > 0) {
      sb.append('.');
      for (int i = 0; i < decimals; i++) {
        int k = dp + i;
        sb.append(k >= 0 && k < digits.length() ? digits.charAt(k) : '0');
      }
    }
    return sb.toString();
  }
}
