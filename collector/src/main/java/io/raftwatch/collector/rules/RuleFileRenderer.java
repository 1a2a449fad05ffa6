package io.raftwatch.collector.rules;

import freemarker.template.Configuration;
import freemarker.template.Template;
import freemarker.template.TemplateException;
import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.util.List;
import java.util.Map;

/**
 * Renders a rule-file source ({@code alert-rules/src/etcd.rules.yaml.ftl}, FreeMarker) with the
 * settings that vary between deployments: the labels that identify one member ({@code instance};
 * {@code instance, pod} under Kubernetes, where a member's series also differ by pod), the
 * selector of etcd series, and where the runbooks live. {@code alert-rules/etcd.rules.yaml} is the
 * rendering with {@link #DEFAULTS}. Used by {@code raftwatch rules render}; any thread.
 */
public final class RuleFileRenderer {
  /** The settings of the committed {@code alert-rules/etcd.rules.yaml}. */
  public static final Settings DEFAULTS =
      new Settings(List.of("instance"), "job=~\".*etcd.*\"", "alert-rules/README.md");

  /**
   * @param memberLabels labels that together identify a member; aggregated away by cluster-wide
   *     alerts
   * @param selector label matchers, without braces, that select etcd's series
   * @param runbook the runbook document; each alert links to its section
   */
  public record Settings(List<String> memberLabels, String selector, String runbook) {
    public Settings {
      memberLabels = List.copyOf(memberLabels);
      if (memberLabels.isEmpty()) {
        throw new IllegalArgumentException("at least one member label is needed");
      }
      for (String l : memberLabels) {
        if (!l.matches("[a-zA-Z_][a-zA-Z0-9_]*")) {
          throw new IllegalArgumentException("invalid label name: \"" + l + "\"");
        }
      }
    }
  }

  private RuleFileRenderer() {}

  /**
   * Renders {@code source} (the template's text) with {@code settings}.
   *
   * @param name the template's name, for error messages
   * @throws IllegalArgumentException when the template is broken, naming the line
   */
  public static String render(String name, String source, Settings settings) {
    Configuration cfg = new Configuration(Configuration.VERSION_2_3_32);
    cfg.setDefaultEncoding("UTF-8");
    try {
      Template t = new Template(name, new StringReader(source), cfg);
      StringWriter out = new StringWriter();
      t.process(
          Map.of(
              "memberLabels", String.join(", ", settings.memberLabels()),
              "selector", settings.selector(),
              "runbook", settings.runbook()),
          out);
      return out.toString();
    } catch (IOException | TemplateException e) {
      throw new IllegalArgumentException(e.getMessage(), e);
    }
  }
}
