package io.raftwatch.collector.cli;

import io.raftwatch.collector.rules.Rule;
import io.raftwatch.collector.rules.RuleFileException;
import io.raftwatch.collector.rules.RuleFileLoader;
import io.raftwatch.collector.rules.RuleGroup;
import io.raftwatch.collector.rules.RuleUnitTester;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code raftwatch rules check|test}: the collector's counterparts of {@code promtool check rules}
 * and {@code promtool test rules}, with the same output. Runs on the main thread.
 */
@Command(
    name = "rules",
    description = "Check rule files, or run their promtool-format unit tests.",
    subcommands = {RulesCommand.Check.class, RulesCommand.Test.class, RulesRenderCommand.class})
public final class RulesCommand {

  /** {@code rules check FILE...}. */
  @Command(
      name = "check",
      description = "Check rule files as 'promtool check rules' does.",
      footer = {"", "Exit status: 0 all valid, 1 a file has errors."})
  static final class Check implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Parameters(arity = "1..*", paramLabel = "FILE", description = "Rule files.")
    List<Path> files = new ArrayList<>();

    @Override
    public Integer call() {
      PrintWriter out = spec.commandLine().getOut();
      PrintWriter err = spec.commandLine().getErr();
      RuleFileLoader loader = new RuleFileLoader(Duration.ofMinutes(1), Map.of(), "");
      boolean failed = false;
      for (Path f : files) {
        out.println("Checking " + f);
        List<RuleGroup> groups;
        try {
          groups = loader.load(f);
        } catch (RuleFileException e) {
          err.println("  FAILED:");
          err.println(e.getMessage());
          out.println();
          failed = true;
          continue;
        }
        int n = 0;
        Map<String, Integer> seen = new LinkedHashMap<>();
        List<String> duplicates = new ArrayList<>();
        for (RuleGroup g : groups) {
          for (Rule r : g.rules()) {
            n++;
            String key = r.name() + " " + ruleLabels(r);
            if (seen.merge(key, 1, Integer::sum) == 2) {
              duplicates.add("Metric: " + r.name() + "\nLabel(s):" + ruleLabelLines(r));
            }
          }
        }
        if (!duplicates.isEmpty()) {
          out.println(duplicates.size() + " duplicate rule(s) found.");
          duplicates.forEach(out::println);
          out.println("Might cause inconsistency while recording expressions.");
        }
        out.println("  SUCCESS: " + n + " rules found");
        out.println();
      }
      return failed ? 1 : 0;
    }

    private static Map<String, String> ruleLabels(Rule r) {
      return new java.util.TreeMap<>(
          r instanceof io.raftwatch.collector.rules.RecordingRule rr
              ? rr.labels()
              : ((io.raftwatch.collector.rules.AlertingRule) r).labelTemplates());
    }

    private static String ruleLabelLines(Rule r) {
      StringBuilder sb = new StringBuilder();
      ruleLabels(r).forEach((k, v) -> sb.append("\n\t").append(k).append(": ").append(v));
      return sb.toString();
    }
  }

  /** {@code rules test FILE...}. */
  @Command(
      name = "test",
      description = "Run promtool-format rule unit tests with raftwatch's engine.",
      footer = {"", "Exit status: 0 all pass, 1 a test failed, 2 a file could not be used."})
  static final class Test implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Parameters(arity = "1..*", paramLabel = "FILE", description = "Unit-test files.")
    List<Path> files = new ArrayList<>();

    @Override
    public Integer call() {
      PrintWriter out = spec.commandLine().getOut();
      PrintWriter err = spec.commandLine().getErr();
      return new RuleUnitTester(out, err).run(files);
    }
  }
}
