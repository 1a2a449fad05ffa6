package io.raftwatch.collector.cli;

import io.raftwatch.collector.check.HealthCheck;
import io.raftwatch.collector.check.PrometheusCheck;
import io.raftwatch.collector.check.RuleSource;
import io.raftwatch.collector.config.ClusterConfig;
import io.raftwatch.collector.config.ConfigException;
import io.raftwatch.collector.config.PrometheusDuration;
import io.raftwatch.collector.config.RaftwatchConfig;
import io.raftwatch.collector.health.CheckStatus;
import io.raftwatch.collector.health.CheckSummary;
import io.raftwatch.collector.health.ClusterCheck;
import io.raftwatch.collector.report.source.PrometheusApiSource;
import io.raftwatch.collector.report.source.SourceUnreachableException;
import io.raftwatch.collector.rules.RuleFileException;
import io.raftwatch.collector.rules.RuleFileLoader;
import io.raftwatch.collector.rules.RuleGroup;
import io.raftwatch.collector.scrape.TlsMaterialException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code raftwatch check}: a one-shot health check with Nagios exit codes (see {@link
 * HealthCheck}, {@link ClusterCheck#status()}). The composition root of a check; runs on the main
 * thread. Every mistake of the user's (flags, config, TLS or rule files) is one UNKNOWN line, as a
 * monitoring agent expects, never a stack trace.
 */
@Command(
    name = "check",
    mixinStandardHelpOptions = true,
    exitCodeOnInvalidInput = 3,
    description = {"Scrape every member, scrape again after --interval so that rates exist, "
        + "evaluate the alert rules and print a summary: members (up, leader, has_leader), "
        + "firing and pending alerts. For cron, CI and Nagios-compatible monitoring agents."},
    footer = {"", "Examples:",
        "  raftwatch check --config raftwatch.yaml",
        "  raftwatch check --config raftwatch.yaml --cluster prod --interval 10s",
        "  raftwatch check --config raftwatch.yaml --prometheus http://127.0.0.1:9090",
        "  raftwatch check --endpoints=https://127.0.0.1:2379 --cacert=ca.crt --cert=client.crt "
            + "--key=client.key --rules my.rules.yaml",
        "", "Exit status (Nagios): 0 OK, 1 WARNING (an alert of severity warning fires), "
            + "2 CRITICAL (an alert of severity critical fires), 3 UNKNOWN (no member reachable, "
            + "a rule failed, or a mistake in the flags, config, certificate or rule files). "
            + "Pending alerts are listed but do not change the status."})
final class CheckCommand implements Callable<Integer> {
  private static final Logger log = LoggerFactory.getLogger(CheckCommand.class);

  @Spec CommandSpec spec;

  @Mixin ConfigOptions configOptions;

  @Option(names = "--interval", paramLabel = "DURATION", defaultValue = "5s",
      converter = DurationConverter.class,
      description = "Time between the two scrapes (default: ${DEFAULT-VALUE}).")
  Duration interval;

  @Option(names = "--rules", arity = "1..*", paramLabel = "FILE",
      description = "Rule files to evaluate instead of the config's ruleFiles or, without those, "
          + "the shipped etcd rules (rendered with member labels instance,member).")
  List<Path> rules = List.of();

  @Option(names = "--prometheus", paramLabel = "URL",
      description = "Do not scrape: evaluate the rules through this Prometheus server's HTTP API, "
          + "which must scrape the members with the labels cluster=<name> and job=<job>. "
          + "An alert's 'for' is judged from Prometheus's ALERTS_FOR_STATE when it has the rule, "
          + "else from a range query over the 'for' (see docs/check.md).")
  String prometheus;

  @Mixin ApiSourceOptions api;

  @Override
  public Integer call() throws InterruptedException {
    PrintWriter out = spec.commandLine().getOut();
    RaftwatchConfig config;
    try {
      config = configOptions.load();
    } catch (ConfigException e) {
      return unknown(out, e.problems().stream().map(Object::toString).toList());
    }
    RuleFileLoader loader = new RuleFileLoader(interval, Map.of(), "");
    if (prometheus != null) {
      return throughPrometheus(out, config, loader);
    }
    HealthCheck check = new HealthCheck(Clock.systemUTC(), d -> Thread.sleep(d.toMillis()), interval);
    List<ClusterCheck> results = new ArrayList<>();
    for (ClusterConfig cluster : config.clusters()) {
      try {
        results.add(check.run(cluster, ruleGroups(cluster, loader)));
      } catch (RuleFileException | TlsMaterialException e) {
        return unknown(out, List.of(e.getMessage()));
      } catch (RuntimeException e) {
        // A bug, not the user's mistake: the trace goes to the log, the agent still gets UNKNOWN.
        log.error("raftwatch check failed on cluster {}", cluster.name(), e);
        return unknown(out, List.of("raftwatch check failed on cluster " + cluster.name() + ": " + e));
      }
    }
    CheckStatus status = CheckStatus.worst(results.stream().map(ClusterCheck::status).toList());
    CheckSummary.write(out, status, results);
    return status.exitCode();
  }

  /** {@code --prometheus}: the same rules, evaluated by Prometheus at one instant. */
  private int throughPrometheus(PrintWriter out, RaftwatchConfig config, RuleFileLoader loader) {
    List<ClusterCheck> results = new ArrayList<>();
    try (PrometheusApiSource source = api.open(prometheus)) {
      PrometheusCheck check = new PrometheusCheck(source);
      Instant now = Clock.systemUTC().instant();
      for (ClusterConfig cluster : config.clusters()) {
        results.add(check.run(cluster, RuleSource.of(cluster, rules), loader, now));
      }
    } catch (IllegalArgumentException | TlsMaterialException | RuleFileException
        | SourceUnreachableException e) {
      return unknown(out, List.of(e.getMessage()));
    } catch (RuntimeException e) {
      log.error("raftwatch check --prometheus failed", e);
      return unknown(out, List.of("raftwatch check --prometheus failed: " + e));
    }
    CheckStatus status = CheckStatus.worst(results.stream().map(ClusterCheck::status).toList());
    CheckSummary.write(out, status, results);
    return status.exitCode();
  }

  /** {@code --rules}, else the cluster's {@code ruleFiles}, else the shipped rules. */
  private List<RuleGroup> ruleGroups(ClusterConfig cluster, RuleFileLoader loader)
      throws RuleFileException {
    List<RuleGroup> groups = new ArrayList<>();
    for (RuleSource source : RuleSource.of(cluster, rules)) {
      groups.addAll(source.load(loader));
    }
    return groups;
  }

  private static int unknown(PrintWriter out, List<String> problems) {
    out.println("UNKNOWN - " + problems.get(0)
        + (problems.size() > 1 ? " (and " + (problems.size() - 1) + " more below)" : ""));
    problems.stream().skip(1).forEach(out::println);
    out.flush();
    return CheckStatus.UNKNOWN.exitCode();
  }

  /** Reads {@code --interval} as a Prometheus duration (5s, 1m30s). */
  static final class DurationConverter implements picocli.CommandLine.ITypeConverter<Duration> {
    @Override
    public Duration convert(String value) {
      Duration d = PrometheusDuration.parse(value);
      if (d.isZero()) {
        throw new IllegalArgumentException("the interval must be longer than 0");
      }
      return d;
    }
  }
}
