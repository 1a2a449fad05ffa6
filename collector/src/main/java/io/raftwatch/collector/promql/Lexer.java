package io.raftwatch.collector.promql;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Splits a PromQL query into {@link Token}s, as Prometheus's {@code promql/parser/lex.go} does:
 * case-insensitive keywords, {@code #} comments, Go-style strings in three quotes, numbers
 * (decimal, hex, {@code Inf}, {@code NaN}) and durations ({@code 1h30m}). Used only by the {@link
 * Parser}; single-threaded.
 */
final class Lexer {
  private static final Map<String, TokenType> KEYWORDS =
      Map.ofEntries(
          Map.entry("and", TokenType.LAND),
          Map.entry("or", TokenType.LOR),
          Map.entry("unless", TokenType.LUNLESS),
          Map.entry("atan2", TokenType.ATAN2),
          Map.entry("by", TokenType.BY),
          Map.entry("without", TokenType.WITHOUT),
          Map.entry("on", TokenType.ON),
          Map.entry("ignoring", TokenType.IGNORING),
          Map.entry("group_left", TokenType.GROUP_LEFT),
          Map.entry("group_right", TokenType.GROUP_RIGHT),
          Map.entry("bool", TokenType.BOOL),
          Map.entry("offset", TokenType.OFFSET));

  private final String input;
  private int pos;
  // Nesting, tracked as Prometheus's lexer does for its "unclosed ..." messages.
  private int parenDepth;
  private boolean braceOpen;
  private boolean bracketOpen;

  private Lexer(String input) {
    this.input = input;
  }

  /**
   * All tokens of {@code input}, ending with one {@link TokenType#EOF} or, where lexing fails, one
   * {@link TokenType#ERROR} (message and offset) that the parser throws when it gets there.
   */
  static List<Token> tokenize(String input) {
    Lexer lexer = new Lexer(input);
    List<Token> tokens = new ArrayList<>();
    Token t;
    do {
      try {
        t = lexer.next();
      } catch (PromqlParseException e) {
        tokens.add(new Token(TokenType.ERROR, e.detail(), e.offset()));
        break;
      }
      tokens.add(t);
    } while (t.type() != TokenType.EOF);
    return tokens;
  }

  private Token next() {
    skipSpaceAndComments();
    int start = pos;
    if (pos >= input.length()) {
      if (braceOpen) {
        throw new PromqlParseException(input, pos, "unexpected end of input inside braces");
      }
      if (parenDepth > 0) {
        throw new PromqlParseException(input, pos, "unclosed left parenthesis");
      }
      if (bracketOpen) {
        throw new PromqlParseException(input, pos, "unclosed left bracket");
      }
      return new Token(TokenType.EOF, "", pos);
    }
    char c = input.charAt(pos);
    if (braceOpen && !isAlpha(c) && "\"'`=!,}".indexOf(c) < 0) {
      throw new PromqlParseException(
          input, pos, "unexpected character inside braces: " + quoteChar(c));
    }
    if (bracketOpen && isDigit(c)) {
      int end = scanDuration(pos);
      if (end < 0) {
        int digitsEnd = pos;
        while (digitsEnd < input.length() && isDigit(input.charAt(digitsEnd))) {
          digitsEnd++;
        }
        throw new PromqlParseException(
            input,
            pos,
            "bad duration syntax: " + StringLiterals.quote(input.substring(pos, digitsEnd)));
      }
    }
    if (isDigit(c) || (c == '.' && pos + 1 < input.length() && isDigit(input.charAt(pos + 1)))) {
      return numberOrDuration();
    }
    if (isAlpha(c)) {
      return word();
    }
    if (c == '"' || c == '\'' || c == '`') {
      return string(c);
    }
    pos++;
    switch (c) {
      case '(' -> parenDepth++;
      case ')' -> {
        if (--parenDepth < 0) {
          throw new PromqlParseException(
              input, pos, "unexpected right parenthesis " + quoteChar(c));
        }
      }
      case '{' -> {
        if (braceOpen) {
          throw new PromqlParseException(input, pos, "unexpected left brace " + quoteChar(c));
        }
        braceOpen = true;
      }
      case '}' -> {
        if (!braceOpen) {
          throw new PromqlParseException(input, pos, "unexpected right brace " + quoteChar(c));
        }
        braceOpen = false;
      }
      case '[' -> {
        if (bracketOpen) {
          throw new PromqlParseException(input, pos, "unexpected left bracket " + quoteChar(c));
        }
        bracketOpen = true;
      }
      case ']' -> {
        if (!bracketOpen) {
          throw new PromqlParseException(input, pos, "unexpected right bracket " + quoteChar(c));
        }
        bracketOpen = false;
      }
      default -> {}
    }
    TokenType type =
        switch (c) {
          case '(' -> TokenType.LEFT_PAREN;
          case ')' -> TokenType.RIGHT_PAREN;
          case '{' -> TokenType.LEFT_BRACE;
          case '}' -> TokenType.RIGHT_BRACE;
          case '[' -> TokenType.LEFT_BRACKET;
          case ']' -> TokenType.RIGHT_BRACKET;
          case ',' -> TokenType.COMMA;
          case ':' -> TokenType.COLON;
          case '@' -> TokenType.AT;
          case '+' -> TokenType.ADD;
          case '-' -> TokenType.SUB;
          case '*' -> TokenType.MUL;
          case '/' -> TokenType.DIV;
          case '%' -> TokenType.MOD;
          case '^' -> TokenType.POW;
          case '=' ->
              accept('=') ? TokenType.EQLC : accept('~') ? TokenType.EQL_REGEX : TokenType.ASSIGN;
          case '!' -> {
            if (accept('=')) {
              yield TokenType.NEQ;
            }
            if (accept('~')) {
              yield TokenType.NEQ_REGEX;
            }
            throw new PromqlParseException(
                input, start, "unexpected character after '!': " + quoteChar(peek()));
          }
          case '<' -> accept('=') ? TokenType.LTE : TokenType.LSS;
          case '>' -> accept('=') ? TokenType.GTE : TokenType.GTR;
          default ->
              throw new PromqlParseException(input, start, "unexpected character: " + quoteChar(c));
        };
    return new Token(type, input.substring(start, pos), start);
  }

  private void skipSpaceAndComments() {
    while (pos < input.length()) {
      char c = input.charAt(pos);
      if (c == '#') {
        while (pos < input.length() && input.charAt(pos) != '\n') {
          pos++;
        }
      } else if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
        pos++;
      } else {
        return;
      }
    }
  }

  private Token numberOrDuration() {
    int start = pos;
    // A duration is one or more <digits><unit> groups; try it first, as lex.go does.
    int end = scanDuration(pos);
    if (end > 0) {
      pos = end;
      return new Token(TokenType.DURATION, input.substring(start, pos), start);
    }
    String digits = "0123456789";
    if (accept('0') && (accept('x') || accept('X'))) {
      digits = "0123456789abcdefABCDEF";
    }
    acceptRun(digits);
    if (accept('.')) {
      acceptRun(digits);
    }
    if (accept('e') || accept('E')) {
      if (!accept('+')) {
        accept('-');
      }
      acceptRun("0123456789");
    }
    if (pos < input.length() && (isAlpha(input.charAt(pos)) || input.charAt(pos) == '.')) {
      pos++;
      throw new PromqlParseException(
          input,
          start,
          "bad number or duration syntax: " + StringLiterals.quote(input.substring(start, pos)));
    }
    return new Token(TokenType.NUMBER, input.substring(start, pos), start);
  }

  /** The end of a duration starting at {@code from}, or -1 when there is none there. */
  private int scanDuration(int from) {
    int p = from;
    int groups = 0;
    while (p < input.length() && isDigit(input.charAt(p))) {
      while (p < input.length() && isDigit(input.charAt(p))) {
        p++;
      }
      int unitEnd = unitEnd(p);
      if (unitEnd < 0) {
        return -1;
      }
      p = unitEnd;
      groups++;
    }
    if (groups == 0
        || (p < input.length() && (isAlphaNumeric(input.charAt(p)) || input.charAt(p) == '.'))) {
      return -1;
    }
    return p;
  }

  private int unitEnd(int p) {
    if (p >= input.length()) {
      return -1;
    }
    char u = input.charAt(p);
    if (u == 'm' && p + 1 < input.length() && input.charAt(p + 1) == 's') {
      return p + 2;
    }
    return "smhdwy".indexOf(u) >= 0 ? p + 1 : -1;
  }

  private Token word() {
    int start = pos;
    boolean colon = false;
    while (pos < input.length()) {
      char c = input.charAt(pos);
      if (c == ':') {
        colon = true;
      } else if (!isAlphaNumeric(c)) {
        break;
      }
      pos++;
    }
    String text = input.substring(start, pos);
    if (colon) {
      return new Token(TokenType.METRIC_IDENTIFIER, text, start);
    }
    String lower = text.toLowerCase(Locale.ROOT);
    if (lower.equals("inf") || lower.equals("nan")) {
      return new Token(TokenType.NUMBER, text, start);
    }
    TokenType keyword = KEYWORDS.get(lower);
    if (keyword != null) {
      return new Token(keyword, text, start);
    }
    if (AggregationOp.byName(lower) != null) {
      return new Token(TokenType.AGGREGATOR, text, start);
    }
    return new Token(TokenType.IDENTIFIER, text, start);
  }

  private Token string(char quote) {
    int start = pos++;
    while (true) {
      if (pos >= input.length()) {
        throw new PromqlParseException(input, start, "unterminated quoted string");
      }
      char c = input.charAt(pos++);
      if (c == quote) {
        break;
      }
      if (quote != '`' && c == '\\') {
        if (pos >= input.length()) {
          throw new PromqlParseException(input, start, "unterminated quoted string");
        }
        pos++;
      } else if (quote != '`' && c == '\n') {
        throw new PromqlParseException(input, start, "unterminated quoted string");
      }
    }
    return new Token(TokenType.STRING, input.substring(start, pos), start);
  }

  private boolean accept(char c) {
    if (pos < input.length() && input.charAt(pos) == c) {
      pos++;
      return true;
    }
    return false;
  }

  private void acceptRun(String valid) {
    while (pos < input.length() && valid.indexOf(input.charAt(pos)) >= 0) {
      pos++;
    }
  }

  private char peek() {
    return pos < input.length() ? input.charAt(pos) : ' ';
  }

  /** A character as Go's {@code %q} writes a rune: {@code '~'}. */
  private static String quoteChar(char c) {
    String q = StringLiterals.quote(String.valueOf(c));
    return "'" + (c == '\'' ? "\\'" : c == '"' ? "\"" : q.substring(1, q.length() - 1)) + "'";
  }

  static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
  }

  static boolean isAlpha(char c) {
    return c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
  }

  static boolean isAlphaNumeric(char c) {
    return isAlpha(c) || isDigit(c);
  }
}
