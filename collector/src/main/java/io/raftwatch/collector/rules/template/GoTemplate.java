package io.raftwatch.collector.rules.template;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A parsed template in the subset of Go's {@code text/template} that Prometheus alert templates
 * use: text, {@code {{ pipeline }}} with {@code |} chains, variables ({@code $x}, {@code $x :=
 * ...}), field access on maps ({@code $labels.instance}, {@code .Labels.job}), string, number and
 * boolean literals, parentheses, function calls, {@code if / else if / else / end}, {@code with},
 * comments and {@code {{- -}}} trimming. Not supported: {@code range}, {@code define}, {@code
 * template}, {@code block}, method calls.
 *
 * <p>Immutable once parsed; {@link #execute} may run on any thread.
 */
public final class GoTemplate {
  private final String name;
  private final List<Node> root;

  private GoTemplate(String name, List<Node> root) {
    this.name = name;
    this.root = root;
  }

  /**
   * Parses {@code text}.
   *
   * @param name the template's name, used in messages as Go does
   * @throws TemplateException with Go's message when the text is not a valid template
   */
  public static GoTemplate parse(String name, String text) throws TemplateException {
    return new GoTemplate(name, new TemplateParser(name, text).parse());
  }

  /**
   * Runs the template with {@code dot} as {@code .} and {@code variables} defined (names without
   * the {@code $}), calling {@code functions}.
   *
   * @throws TemplateException when execution fails (a function error, a wrong type)
   */
  public String execute(Object dot, Map<String, Object> variables, TemplateFunctions functions)
      throws TemplateException {
    StringBuilder out = new StringBuilder();
    Map<String, Object> vars = new HashMap<>(variables);
    vars.put("", dot);
    new Exec(name, functions, out).run(root, dot, vars);
    return out.toString();
  }

  // --- The syntax tree ---

  sealed interface Node {}

  record Text(String text) implements Node {}

  /** {@code {{ pipeline }}} or {@code {{ $x := pipeline }}} (then prints nothing). */
  record Action(int line, Pipeline pipeline) implements Node {}

  record If(int line, Pipeline cond, List<Node> then, List<Node> otherwise, boolean with)
      implements Node {}

  record Pipeline(String declare, List<Command> commands) {}

  record Command(List<Operand> args) {}

  sealed interface Operand {}

  record Literal(Object value) implements Operand {}

  /** {@code $name.f1.f2} ({@code name} empty for {@code .f1.f2} and {@code .}). */
  record Variable(String name, List<String> fields, boolean dot) implements Operand {}

  record FunctionName(String name) implements Operand {}

  record Parens(Pipeline pipeline, List<String> fields) implements Operand {}

  // --- Execution ---

  private record Exec(String name, TemplateFunctions functions, StringBuilder out) {
    void run(List<Node> nodes, Object dot, Map<String, Object> vars) throws TemplateException {
      for (Node n : nodes) {
        if (n instanceof Text t) {
          out.append(t.text());
        } else if (n instanceof Action a) {
          Object v = pipeline(a.line(), a.pipeline(), dot, vars);
          if (a.pipeline().declare() == null) {
            out.append(GoFormat.print(v));
          }
        } else if (n instanceof If f) {
          Object v = pipeline(f.line(), f.cond(), dot, vars);
          if (truth(v)) {
            run(f.then(), f.with() ? v : dot, vars);
          } else {
            run(f.otherwise(), dot, vars);
          }
        }
      }
    }

    Object pipeline(int line, Pipeline p, Object dot, Map<String, Object> vars)
        throws TemplateException {
      Object last = null;
      boolean first = true;
      for (Command c : p.commands()) {
        last = command(line, c, dot, vars, first ? NONE : last);
        first = false;
      }
      if (p.declare() != null) {
        vars.put(p.declare(), last);
      }
      return last;
    }

    private static final Object NONE = new Object();

    Object command(int line, Command c, Object dot, Map<String, Object> vars, Object piped)
        throws TemplateException {
      Operand head = c.args().get(0);
      if (head instanceof FunctionName f) {
        List<Object> args = new ArrayList<>();
        for (int i = 1; i < c.args().size(); i++) {
          args.add(operand(line, c.args().get(i), dot, vars));
        }
        if (piped != NONE) {
          args.add(piped);
        }
        return call(line, f.name(), args);
      }
      if (c.args().size() > 1 || piped != NONE) {
        throw error(line, "can't give argument to non-function " + describe(head));
      }
      return operand(line, head, dot, vars);
    }

    private Object call(int line, String fn, List<Object> args) throws TemplateException {
      try {
        return functions.call(fn, args);
      } catch (TemplateFunctions.CallException e) {
        throw error(
            line,
            "executing \"" + name + "\" at <" + fn + ">: error calling " + fn + ": "
                + e.getMessage());
      }
    }

    Object operand(int line, Operand o, Object dot, Map<String, Object> vars)
        throws TemplateException {
      if (o instanceof Literal l) {
        return l.value();
      }
      if (o instanceof FunctionName f) {
        return call(line, f.name(), List.of());
      }
      if (o instanceof Variable v) {
        Object base;
        if (v.dot()) {
          base = dot;
        } else {
          if (!vars.containsKey(v.name())) {
            throw error(line, "undefined variable: $" + v.name());
          }
          base = vars.get(v.name());
        }
        return fields(line, base, v.fields());
      }
      Parens p = (Parens) o;
      return fields(line, pipeline(line, p.pipeline(), dot, vars), p.fields());
    }

    Object fields(int line, Object base, List<String> fields) throws TemplateException {
      Object v = base;
      for (String f : fields) {
        if (v instanceof Map<?, ?> m) {
          // Prometheus's maps are map[string]string: a missing key gives "".
          v = m.containsKey(f) ? m.get(f) : "";
        } else if (v == null) {
          throw error(line, "nil pointer evaluating interface {}." + f);
        } else {
          throw error(
              line, "can't evaluate field " + f + " in type " + GoFormat.goType(v));
        }
      }
      return v;
    }

    TemplateException error(int line, String message) {
      return new TemplateException("template: " + name + ":" + line + ": " + message);
    }

    private static String describe(Operand o) {
      if (o instanceof Literal l) {
        return GoFormat.print(l.value());
      }
      if (o instanceof Variable v) {
        return (v.dot() ? "." : "$" + v.name()) + String.join(".", v.fields());
      }
      return "(pipeline)";
    }
  }

  /** Go's truth: false, 0, nil and empty strings and maps are false. */
  static boolean truth(Object v) {
    if (v == null) {
      return false;
    }
    if (v instanceof Boolean b) {
      return b;
    }
    if (v instanceof Double d) {
      return d != 0;
    }
    if (v instanceof Long l) {
      return l != 0;
    }
    if (v instanceof String s) {
      return !s.isEmpty();
    }
    if (v instanceof Map<?, ?> m) {
      return !m.isEmpty();
    }
    if (v instanceof List<?> l) {
      return !l.isEmpty();
    }
    return true;
  }
}
