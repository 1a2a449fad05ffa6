package io.raftwatch.collector.tsdb;

import java.util.Objects;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * One condition of a series selector such as {@code job="etcd"} or {@code instance!~"10\\..*"}.
 *
 * <p>Built by the PromQL parser and the API, handed to {@link SeriesReader#select}. As in
 * Prometheus, a missing label matches as the empty string ({@code foo=""} selects series without
 * {@code foo}) and regular expressions are fully anchored, with {@code .} matching newlines: {@code
 * RE "a|b"} means {@code ^(?s:a|b)$}. The regex is compiled once, at construction; an invalid one
 * throws {@link PatternSyntaxException}. NB: the syntax is Java's, which agrees with Prometheus's
 * RE2 on the forms selectors use (classes, alternation, repetition) but not everywhere (RE2 has no
 * backreferences or lookaround; Java lacks RE2's {@code \C}). Immutable and thread-safe. Equality
 * is by type, name and value. (A class rather than a record, to hold the compiled pattern.)
 */
public final class LabelMatcher {
  /** How the label value is compared. */
  public enum Type {
    /** {@code =} */
    EQ("="),
    /** {@code !=} */
    NEQ("!="),
    /** {@code =~} */
    RE("=~"),
    /** {@code !~} */
    NRE("!~");

    private final String operator;

    Type(String operator) {
      this.operator = operator;
    }

    /** The PromQL operator, such as {@code =~}. */
    public String operator() {
      return operator;
    }
  }

  private final Type type;
  private final String name;
  private final String value;
  private final Pattern pattern; // Null unless type is RE or NRE.

  /** A matcher; throws {@link PatternSyntaxException} for an invalid regular expression. */
  public LabelMatcher(Type type, String name, String value) {
    this.type = Objects.requireNonNull(type, "type");
    this.name = Objects.requireNonNull(name, "name");
    this.value = Objects.requireNonNull(value, "value");
    this.pattern =
        type == Type.RE || type == Type.NRE ? Pattern.compile(value, Pattern.DOTALL) : null;
  }

  /** {@code name="value"} */
  public static LabelMatcher eq(String name, String value) {
    return new LabelMatcher(Type.EQ, name, value);
  }

  /** {@code name!="value"} */
  public static LabelMatcher neq(String name, String value) {
    return new LabelMatcher(Type.NEQ, name, value);
  }

  /** {@code name=~"regex"} */
  public static LabelMatcher re(String name, String regex) {
    return new LabelMatcher(Type.RE, name, regex);
  }

  /** {@code name!~"regex"} */
  public static LabelMatcher nre(String name, String regex) {
    return new LabelMatcher(Type.NRE, name, regex);
  }

  public Type type() {
    return type;
  }

  public String name() {
    return name;
  }

  public String value() {
    return value;
  }

  /** Whether a label value matches; pass "" for a label the series does not have. */
  public boolean matches(String labelValue) {
    return switch (type) {
      case EQ -> value.equals(labelValue);
      case NEQ -> !value.equals(labelValue);
      case RE -> pattern.matcher(labelValue).matches();
      case NRE -> !pattern.matcher(labelValue).matches();
    };
  }

  /** Whether the series with these labels matches. */
  public boolean matches(Labels labels) {
    return matches(labels.get(name));
  }

  /** Whether this matcher selects series that lack the label ("" matches). */
  public boolean matchesEmpty() {
    return matches("");
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof LabelMatcher m
        && type == m.type
        && name.equals(m.name)
        && value.equals(m.value);
  }

  @Override
  public int hashCode() {
    return Objects.hash(type, name, value);
  }

  /** PromQL form: {@code job=~"etcd.*"}. */
  @Override
  public String toString() {
    return name + type.operator + '"' + value.replace("\\", "\\\\").replace("\"", "\\\"") + '"';
  }
}
