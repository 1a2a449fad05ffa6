package io.raftwatch.collector.promql;

/**
 * Go-compatible string quoting for PromQL: {@link #unquote} reads a string literal in any of
 * PromQL's three quotes with Go's escapes; {@link #quote} writes one as Go's {@code %q} does, for
 * error messages. Stateless.
 */
public final class StringLiterals {
  private StringLiterals() {}

  /** {@code s} in double quotes with Go escapes, as Go's {@code %q} writes it. */
  public static String quote(String s) {
    StringBuilder sb = new StringBuilder(s.length() + 2).append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> sb.append("\\\"");
        case '\\' -> sb.append("\\\\");
        case '\n' -> sb.append("\\n");
        case '\t' -> sb.append("\\t");
        case '\r' -> sb.append("\\r");
        default -> {
          if (c < 0x20 || c == 0x7f) {
            sb.append(String.format("\\x%02x", (int) c));
          } else {
            sb.append(c);
          }
        }
      }
    }
    return sb.append('"').toString();
  }

  /**
   * The value of a quoted literal ({@code "a\n"}, {@code 'a'}, {@code `a`}).
   *
   * @throws IllegalArgumentException naming the bad escape
   */
  static String unquote(String literal) {
    char q = literal.charAt(0);
    String body = literal.substring(1, literal.length() - 1);
    if (q == '`') {
      return body;
    }
    StringBuilder sb = new StringBuilder(body.length());
    for (int i = 0; i < body.length(); i++) {
      char c = body.charAt(i);
      if (c != '\\') {
        if (c == q) {
          throw new IllegalArgumentException("invalid syntax");
        }
        sb.append(c);
        continue;
      }
      char e = body.charAt(++i);
      switch (e) {
        case 'a' -> sb.append('\u0007');
        case 'b' -> sb.append('\b');
        case 'f' -> sb.append('\f');
        case 'n' -> sb.append('\n');
        case 'r' -> sb.append('\r');
        case 't' -> sb.append('\t');
        case 'v' -> sb.append('\u000b');
        case '\\' -> sb.append('\\');
        case '"', '\'' -> {
          if (e != q) {
            throw new IllegalArgumentException("invalid syntax");
          }
          sb.append(e);
        }
        case 'x' -> {
          sb.append((char) hex(body, i + 1, 2));
          i += 2;
        }
        case 'u' -> {
          sb.append((char) hex(body, i + 1, 4));
          i += 4;
        }
        case 'U' -> {
          sb.appendCodePoint(hex(body, i + 1, 8));
          i += 8;
        }
        case '0', '1', '2', '3', '4', '5', '6', '7' -> {
          if (i + 2 >= body.length()) {
            throw new IllegalArgumentException("invalid syntax");
          }
          int v = Integer.parseInt(body.substring(i, i + 3), 8);
          if (v > 255) {
            throw new IllegalArgumentException("invalid syntax");
          }
          sb.append((char) v);
          i += 2;
        }
        default -> throw new IllegalArgumentException("invalid syntax");
      }
    }
    return sb.toString();
  }

  private static int hex(String s, int from, int len) {
    if (from + len > s.length()) {
      throw new IllegalArgumentException("invalid syntax");
    }
    try {
      return Integer.parseUnsignedInt(s.substring(from, from + len), 16);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("invalid syntax", e);
    }
  }
}
