package io.raftwatch.collector.rules.template;

import io.raftwatch.collector.rules.template.GoTemplate.Action;
import io.raftwatch.collector.rules.template.GoTemplate.Command;
import io.raftwatch.collector.rules.template.GoTemplate.FunctionName;
import io.raftwatch.collector.rules.template.GoTemplate.If;
import io.raftwatch.collector.rules.template.GoTemplate.Literal;
import io.raftwatch.collector.rules.template.GoTemplate.Node;
import io.raftwatch.collector.rules.template.GoTemplate.Operand;
import io.raftwatch.collector.rules.template.GoTemplate.Parens;
import io.raftwatch.collector.rules.template.GoTemplate.Pipeline;
import io.raftwatch.collector.rules.template.GoTemplate.Text;
import io.raftwatch.collector.rules.template.GoTemplate.Variable;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Parses template text into {@link GoTemplate}'s tree: splits text from {@code {{ }}} actions
 * (honouring {@code {{-} and {@code -}}} trim markers and comments), then reads each action's
 * tokens. Used once per template by {@link GoTemplate#parse}; single-use, not thread-safe.
 */
final class TemplateParser {
  private static final Set<String> UNSUPPORTED = Set.of("range", "define", "template", "block");

  private final String name;
  private final String text;
  private int pos;
  // Tokens of the action being read.
  private List<String> tokens;
  private int ti;
  private int line;

  TemplateParser(String name, String text) {
    this.name = name;
    this.text = text;
  }

  List<Node> parse() throws TemplateException {
    List<Node> nodes = new ArrayList<>();
    String end = list(nodes);
    if (end != null) {
      throw error("unexpected {{" + end + "}}");
    }
    return nodes;
  }

  /** Reads nodes up to an {@code else ...} or {@code end} action (returned) or the end (null). */
  private String list(List<Node> nodes) throws TemplateException {
    while (pos < text.length()) {
      int open = text.indexOf("{{", pos);
      String literal = open < 0 ? text.substring(pos) : text.substring(pos, open);
      if (open < 0) {
        addText(nodes, literal);
        pos = text.length();
        break;
      }
      boolean trimLeft = isTrim(open + 2);
      if (trimLeft) {
        literal = literal.stripTrailing();
      }
      addText(nodes, literal);
      line = lineOf(open);
      int start = open + 2 + (trimLeft ? 2 : 0);
      if (text.startsWith("/*", start)) {
        int close = text.indexOf("*/", start);
        if (close < 0) {
          throw error("unclosed comment");
        }
        int after = close + 2;
        boolean trimRight = text.startsWith(" -}}", after);
        if (!trimRight && !text.startsWith("}}", after)) {
          throw error("comment ends before closing delimiter");
        }
        pos = after + (trimRight ? 4 : 2);
        if (trimRight) {
          skipLeadingSpace();
        }
        continue;
      }
      boolean trimRight = lexAction(start);
      if (trimRight) {
        skipLeadingSpace();
      }
      if (tokens.isEmpty()) {
        throw error("missing value for command");
      }
      String first = tokens.get(0);
      if (first.equals("end")) {
        expectEnd();
        return "end";
      }
      if (first.equals("else")) {
        return "else";
      }
      if (first.equals("if") || first.equals("with")) {
        nodes.add(ifNode(first.equals("with"), 1));
        continue;
      }
      if (UNSUPPORTED.contains(first)) {
        throw error("{{" + first + "}} is not supported by raftwatch's templates");
      }
      nodes.add(new Action(line, pipeline(true)));
      expectEnd();
    }
    return null;
  }

  /** An if (or with) whose condition starts at token {@code condStart} of the current action. */
  private If ifNode(boolean with, int condStart) throws TemplateException {
    int ifLine = line;
    ti = condStart;
    Pipeline cond = pipeline(false);
    expectEnd();
    List<Node> then = new ArrayList<>();
    String end = list(then);
    List<Node> otherwise = new ArrayList<>();
    if (end == null) {
      throw error("unexpected EOF");
    }
    if (end.equals("else")) {
      if (tokens.size() > 1 && (tokens.get(1).equals("if") || tokens.get(1).equals("with"))) {
        // {{else if x}} ... {{end}}: an if nested in the else branch, closed by the same end.
        otherwise.add(ifNode(tokens.get(1).equals("with"), 2));
        ti = 0;
      } else {
        ti = 1;
        expectEnd();
        String close = list(otherwise);
        if (!"end".equals(close)) {
          throw error(close == null ? "unexpected EOF" : "expected end; found {{else}}");
        }
      }
    }
    return new If(ifLine, cond, then, otherwise, with);
  }

  private void addText(List<Node> nodes, String literal) {
    if (!literal.isEmpty()) {
      nodes.add(new Text(literal));
    }
  }

  private boolean isTrim(int at) {
    return text.startsWith("-", at)
        && at + 1 < text.length()
        && Character.isWhitespace(text.charAt(at + 1));
  }

  private void skipLeadingSpace() {
    while (pos < text.length() && Character.isWhitespace(text.charAt(pos))) {
      pos++;
    }
  }

  private int lineOf(int offset) {
    int n = 1;
    for (int i = 0; i < offset; i++) {
      if (text.charAt(i) == '\n') {
        n++;
      }
    }
    return n;
  }

  /** Splits the action starting at {@code start} into tokens; returns whether it ends in -}}. */
  private boolean lexAction(int start) throws TemplateException {
    tokens = new ArrayList<>();
    ti = 0;
    int i = start;
    while (true) {
      if (i >= text.length()) {
        throw error("unclosed action");
      }
      char c = text.charAt(i);
      if (c == '}' && text.startsWith("}}", i)) {
        pos = i + 2;
        return false;
      }
      if (Character.isWhitespace(c)) {
        if (text.startsWith("-}}", i + 1)) {
          pos = i + 4;
          return true;
        }
        i++;
        continue;
      }
      int j = i + 1;
      if (c == '"') {
        while (j < text.length() && text.charAt(j) != '"') {
          if (text.charAt(j) == '\\') {
            j++;
          }
          if (j < text.length() && text.charAt(j) == '\n') {
            throw error("unterminated quoted string");
          }
          j++;
        }
        if (j >= text.length()) {
          throw error("unterminated quoted string");
        }
        j++;
      } else if (c == '`') {
        j = text.indexOf('`', j);
        if (j < 0) {
          throw error("unterminated raw quoted string");
        }
        j++;
      } else if (c == '|' || c == '(' || c == ')' || c == ',' || c == '=') {
        // single-character tokens
      } else if (c == ':') {
        if (!text.startsWith("=", j)) {
          throw error("expected :=");
        }
        j++;
      } else if (c == '$' || c == '.' || isWordChar(c) || c == '-' || c == '+') {
        while (j < text.length() && (isWordChar(text.charAt(j)) || text.charAt(j) == '.')) {
          j++;
        }
      } else {
        throw error("unexpected \"" + c + "\" in command");
      }
      tokens.add(text.substring(i, j));
      i = j;
    }
  }

  private static boolean isWordChar(char c) {
    return Character.isLetterOrDigit(c) || c == '_';
  }

  private void expectEnd() throws TemplateException {
    if (ti < tokens.size() && !tokens.get(0).equals("else") && !tokens.get(0).equals("end")) {
      throw error("unexpected \"" + tokens.get(ti) + "\" in command");
    }
    if (tokens.get(0).equals("end") && tokens.size() > 1) {
      throw error("unexpected \"" + tokens.get(1) + "\" in end");
    }
  }

  private Pipeline pipeline(boolean allowDeclare) throws TemplateException {
    String declare = null;
    if (allowDeclare
        && tokens.size() - ti >= 2
        && tokens.get(ti).startsWith("$")
        && (tokens.get(ti + 1).equals(":=") || tokens.get(ti + 1).equals("="))) {
      declare = tokens.get(ti).substring(1);
      ti += 2;
    }
    List<Command> commands = new ArrayList<>();
    while (true) {
      List<Operand> args = new ArrayList<>();
      while (ti < tokens.size() && !tokens.get(ti).equals("|") && !tokens.get(ti).equals(")")) {
        args.add(operand());
      }
      if (args.isEmpty()) {
        throw error("missing value for command");
      }
      commands.add(new Command(args));
      if (ti < tokens.size() && tokens.get(ti).equals("|")) {
        ti++;
        continue;
      }
      return new Pipeline(declare, commands);
    }
  }

  private Operand operand() throws TemplateException {
    String t = tokens.get(ti++);
    char c = t.charAt(0);
    if (t.equals("(")) {
      Pipeline p = pipeline(false);
      if (ti >= tokens.size() || !tokens.get(ti).equals(")")) {
        throw error("unclosed left paren");
      }
      ti++;
      List<String> fields = new ArrayList<>();
      while (ti < tokens.size() && tokens.get(ti).startsWith(".") && tokens.get(ti).length() > 1) {
        addFields(fields, tokens.get(ti++).substring(1));
      }
      return new Parens(p, fields);
    }
    if (c == '"') {
      return new Literal(unquote(t.substring(1, t.length() - 1)));
    }
    if (c == '`') {
      return new Literal(t.substring(1, t.length() - 1));
    }
    if (c == '$') {
      int dot = t.indexOf('.');
      String var = dot < 0 ? t.substring(1) : t.substring(1, dot);
      List<String> fields = new ArrayList<>();
      if (dot >= 0) {
        addFields(fields, t.substring(dot + 1));
      }
      return new Variable(var, fields, false);
    }
    if (c == '.') {
      List<String> fields = new ArrayList<>();
      if (t.length() > 1) {
        addFields(fields, t.substring(1));
      }
      return new Variable("", fields, true);
    }
    if (Character.isDigit(c) || c == '-' || c == '+') {
      return new Literal(number(t));
    }
    if (t.equals("true") || t.equals("false")) {
      return new Literal(Boolean.parseBoolean(t));
    }
    if (t.equals("nil")) {
      throw error("nil is not a command");
    }
    if (t.equals(":=") || t.equals("=") || t.equals(",") || t.equals(")")) {
      throw error("unexpected \"" + t + "\" in operand");
    }
    if (!TemplateFunctions.NAMES.contains(t)) {
      throw error("function \"" + t + "\" not defined");
    }
    return new FunctionName(t);
  }

  private void addFields(List<String> fields, String chain) throws TemplateException {
    for (String f : chain.split("\\.", -1)) {
      if (f.isEmpty()) {
        throw error("unexpected . after term");
      }
      fields.add(f);
    }
  }

  private Object number(String t) throws TemplateException {
    try {
      String s = t.startsWith("+") ? t.substring(1) : t;
      if (s.matches("-?0[xX][0-9a-fA-F_]+")) {
        return Long.parseLong(s.replace("_", "").replaceFirst("0[xX]", ""), 16);
      }
      if (s.matches("-?[0-9_]+")) {
        return Long.parseLong(s.replace("_", ""));
      }
      return Double.parseDouble(s);
    } catch (NumberFormatException e) {
      throw error("bad number syntax: \"" + t + "\"");
    }
  }

  private String unquote(String body) throws TemplateException {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < body.length(); i++) {
      char c = body.charAt(i);
      if (c != '\\') {
        sb.append(c);
        continue;
      }
      char e = body.charAt(++i);
      switch (e) {
        case 'n' -> sb.append('\n');
        case 't' -> sb.append('\t');
        case 'r' -> sb.append('\r');
        case '\\' -> sb.append('\\');
        case '"' -> sb.append('"');
        case '\'' -> sb.append('\'');
        case 'x' -> {
          sb.append((char) Integer.parseInt(body.substring(i + 1, i + 3), 16));
          i += 2;
        }
        case 'u' -> {
          sb.append((char) Integer.parseInt(body.substring(i + 1, i + 5), 16));
          i += 4;
        }
        default -> throw error("invalid syntax in quoted string");
      }
    }
    return sb.toString();
  }

  private TemplateException error(String message) {
    return new TemplateException("template: " + name + ":" + line + ": " + message);
  }
}
