package io.raftwatch.collector.cli;

import io.raftwatch.collector.rules.RuleFileRenderer;
import io.raftwatch.collector.rules.RuleFileRenderer.Settings;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code raftwatch rules render}: renders the shipped rule source with another member label set,
 * selector or runbook location (see {@link RuleFileRenderer}). Runs on the main thread.
 */
@Command(
    name = "render",
    description = "Render alert-rules/src/etcd.rules.yaml.ftl with your member labels and selector.",
    footer = {"", "Example (Kubernetes): raftwatch rules render --member-labels instance,pod "
        + "-o etcd.rules.yaml"})
final class RulesRenderCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = "--template", paramLabel = "FILE",
      description = "The rule source (default: ${DEFAULT-VALUE}).")
  Path template = Path.of("alert-rules", "src", "etcd.rules.yaml.ftl");

  @Option(names = "--member-labels", split = ",", paramLabel = "LABEL",
      description = "Labels identifying one member (default: instance).")
  List<String> memberLabels = RuleFileRenderer.DEFAULTS.memberLabels();

  @Option(names = "--selector", paramLabel = "MATCHERS",
      description = "Matchers selecting etcd series, without braces (default: ${DEFAULT-VALUE}).")
  String selector = RuleFileRenderer.DEFAULTS.selector();

  @Option(names = "--runbook", paramLabel = "URL",
      description = "Where the runbook README is published (default: ${DEFAULT-VALUE}).")
  String runbook = RuleFileRenderer.DEFAULTS.runbook();

  @Option(names = {"-o", "--output"}, paramLabel = "FILE",
      description = "Write here instead of standard output.")
  Path output;

  @Override
  public Integer call() {
    String source;
    try {
      source = Files.readString(template, StandardCharsets.UTF_8);
    } catch (IOException e) {
      spec.commandLine().getErr().println("raftwatch: cannot read " + template + ": " + e);
      return RaftwatchCommand.USAGE;
    }
    String rendered;
    try {
      rendered = RuleFileRenderer.render(
          template.toString(), source,
          new Settings(memberLabels.stream().map(String::trim).toList(), selector, runbook));
    } catch (IllegalArgumentException e) {
      spec.commandLine().getErr().println("raftwatch: " + e.getMessage());
      return RaftwatchCommand.USAGE;
    }
    if (output == null) {
      spec.commandLine().getOut().print(rendered);
      spec.commandLine().getOut().flush();
      return 0;
    }
    try {
      Files.writeString(output, rendered, StandardCharsets.UTF_8);
    } catch (IOException e) {
      spec.commandLine().getErr().println("raftwatch: cannot write " + output + ": " + e);
      return RaftwatchCommand.USAGE;
    }
    return 0;
  }
}
