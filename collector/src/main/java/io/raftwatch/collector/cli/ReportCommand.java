package io.raftwatch.collector.cli;

import io.raftwatch.collector.check.RuleSource;
import io.raftwatch.collector.config.ClusterConfig;
import io.raftwatch.collector.config.ConfigException;
import io.raftwatch.collector.config.ConfigLoader;
import io.raftwatch.collector.config.ConfigProblem;
import io.raftwatch.collector.config.PrometheusDuration;
import io.raftwatch.collector.config.RaftwatchConfig;
import io.raftwatch.collector.promql.Value;
import io.raftwatch.collector.report.source.ActiveAlert;
import io.raftwatch.collector.report.ClusterReport;
import io.raftwatch.collector.report.source.PrometheusApiSource;
import io.raftwatch.collector.report.source.QueryFailedException;
import io.raftwatch.collector.report.source.QuerySource;
import io.raftwatch.collector.report.ReportBuilder;
import io.raftwatch.collector.report.ReportFormat;
import io.raftwatch.collector.report.ReportRenderer;
import io.raftwatch.collector.report.ReportRequest;
import io.raftwatch.collector.report.source.SourceUnreachableException;
import io.raftwatch.collector.rules.RuleFileException;
import io.raftwatch.collector.scrape.TlsMaterialException;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code raftwatch report}: one cluster's report over a window, read through a Prometheus HTTP API
 * (the running collector's, or a Prometheus server's) and rendered as HTML, Markdown or JSON. The
 * composition root of a report; runs on the main thread, with a timer thread that says on stderr
 * what it is waiting for when the source is slow. A user mistake is one line on stderr and exit
 * status 2; an unreachable source exit status 1, naming the URL.
 */
@Command(
    name = "report",
    mixinStandardHelpOptions = true,
    description = {"Write a report on one cluster over a time window: verdict, members' health "
        + "(up, leader, leader changes, proposals, p99 WAL fsync and backend commit latency, "
        + "db size and quota, file descriptors, memory), active and recent alerts with their "
        + "runbooks, and charts. The data comes from the running collector's Prometheus-compatible "
        + "API (raftwatch run) or from a Prometheus server that scrapes the members."},
    footer = {"", "Examples:",
        "  raftwatch report -c raftwatch.yaml --cluster prod --since 24h --out prod.html",
        "  raftwatch report -c raftwatch.yaml --format md \\",
        "      --prometheus http://127.0.0.1:9090",
        "  raftwatch report -c raftwatch.yaml --format json \\",
        "      --prometheus https://prom:9090 --api-cacert ca.crt --bearer-token-file tok",
        "",
        "Default source: " + ReportCommand.DEFAULT_COLLECTOR + " (raftwatch run's --listen).",
        "The JSON form is described in docs/report-schema.md (schemaVersion 1).",
        "Series are selected by the labels cluster=<name> and job=<the cluster's job>, as the "
            + "collector and the rendered ServiceMonitor label them.",
        "", "Exit status: 0 report written, 1 the source could not be reached, "
            + "2 a mistake in the command line or config."})
final class ReportCommand implements Callable<Integer> {
  /** The address {@code raftwatch run} listens on by default. */
  static final String DEFAULT_COLLECTOR = "http://127.0.0.1:9095";
  private static final Duration SLOW = Duration.ofSeconds(2);

  @Spec CommandSpec spec;

  @Option(names = {"-c", "--config"}, required = true, paramLabel = "FILE",
      description = "The cluster description (see docs/configuration.md).")
  Path config;

  @Option(names = "--cluster", paramLabel = "NAME",
      description = "The cluster to report on; may be left out when the config has only one.")
  String cluster;

  @Option(names = "--since", paramLabel = "DURATION", defaultValue = "24h",
      description = "The window: the report covers the last DURATION, e.g. 1h, 24h, 7d "
          + "(default: ${DEFAULT-VALUE}).")
  String since;

  @Option(names = {"-f", "--format"}, paramLabel = "FORMAT", defaultValue = "html",
      description = "html (self-contained page), md (Markdown) or json (default: ${DEFAULT-VALUE}).")
  String format;

  @Option(names = {"-o", "--out"}, paramLabel = "FILE",
      description = "Write the report to FILE instead of standard output.")
  Path out;

  @ArgGroup(exclusive = true)
  Source source = new Source();

  static final class Source {
    @Option(names = "--collector", paramLabel = "URL",
        description = "The running collector's API (the default source, see below).")
    String collector;

    @Option(names = "--prometheus", paramLabel = "URL",
        description = "A Prometheus server that scrapes the cluster's members, e.g. http://127.0.0.1:9090.")
    String prometheus;

    String url() {
      return prometheus != null ? prometheus : collector != null ? collector : DEFAULT_COLLECTOR;
    }
  }

  @Mixin ApiSourceOptions api;

  @Override
  public Integer call() {
    PrintWriter err = spec.commandLine().getErr();
    Duration window;
    ReportFormat reportFormat;
    try {
      window = PrometheusDuration.parse(since);
      if (window.toSeconds() < 1) {
        throw new IllegalArgumentException("'" + since + "' is shorter than a second");
      }
    } catch (IllegalArgumentException e) {
      return usage(err, "--since: " + e.getMessage());
    }
    try {
      reportFormat = ReportFormat.parse(format);
    } catch (IllegalArgumentException e) {
      return usage(err, "--format: " + e.getMessage());
    }
    ClusterConfig target;
    List<RuleSource> rules;
    try {
      target = pick(new ConfigLoader().load(config));
      rules = RuleSource.of(target, List.of());
    } catch (ConfigException e) {
      e.problems().forEach(err::println);
      err.flush();
      return RaftwatchCommand.USAGE;
    } catch (RuleFileException e) {
      return usage(err, e.getMessage());
    }
    String url = source.url();
    ClusterReport report;
    try (PrometheusApiSource api = this.api.open(url)) {
      Instant to = Clock.systemUTC().instant();
      ReportRequest request = ReportRequest.of(target, window, to,
          RuleSource.staticAnnotations(rules));
      report = buildWithProgress(api, request, err);
    } catch (IllegalArgumentException | TlsMaterialException e) {
      return usage(err, e.getMessage());
    } catch (SourceUnreachableException e) {
      err.println("raftwatch report: " + e.getMessage());
      err.flush();
      return 1;
    }
    String text = new ReportRenderer().render(report, reportFormat);
    if (out == null) {
      PrintWriter stdout = spec.commandLine().getOut();
      stdout.print(text);
      stdout.flush();
    } else {
      try {
        Files.writeString(out, text, StandardCharsets.UTF_8);
      } catch (IOException e) {
        return usage(err, "--out: cannot write " + out + ": " + e.getMessage());
      }
    }
    return 0;
  }

  private ClusterConfig pick(RaftwatchConfig all) throws ConfigException {
    if (cluster == null) {
      if (all.clusters().size() == 1) {
        return all.clusters().get(0);
      }
      throw new ConfigException(List.of(new ConfigProblem("--cluster",
          0, "", all.source() + " describes " + all.clusters().size() + " clusters ("
              + names(all) + "); say which with --cluster")));
    }
    return all.cluster(cluster).orElseThrow(() -> new ConfigException(List.of(
        new ConfigProblem("--cluster", 0, "",
            "no cluster '" + cluster + "' in " + all.source() + "; it describes " + names(all)))));
  }

  private static String names(RaftwatchConfig all) {
    return String.join(", ", all.clusters().stream().map(ClusterConfig::name).toList());
  }

  /** Builds the report; when it takes longer than {@link #SLOW}, says so on stderr now and then. */
  private static ClusterReport buildWithProgress(QuerySource api, ReportRequest request,
      PrintWriter err) throws SourceUnreachableException {
    AtomicInteger done = new AtomicInteger();
    ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "report-progress");
      t.setDaemon(true);
      return t;
    });
    timer.scheduleAtFixedRate(() -> {
      err.println("raftwatch report: querying " + api.describe() + " (" + done.get()
          + " queries answered so far)...");
      err.flush();
    }, SLOW.toMillis(), 5000, TimeUnit.MILLISECONDS);
    try {
      return new ReportBuilder(new Counting(api, done)).build(request);
    } finally {
      timer.shutdownNow();
    }
  }

  private static int usage(PrintWriter err, String message) {
    err.println("raftwatch report: " + message);
    err.flush();
    return RaftwatchCommand.USAGE;
  }

  /** Counts the answered queries, for the progress line. */
  private record Counting(QuerySource delegate, AtomicInteger done) implements QuerySource {
    @Override
    public String describe() {
      return delegate.describe();
    }

    @Override
    public List<Value.Sample> instant(String query, Instant time)
        throws SourceUnreachableException, QueryFailedException {
      try {
        return delegate.instant(query, time);
      } finally {
        done.incrementAndGet();
      }
    }

    @Override
    public List<Value.Series> range(String query, Instant start, Instant end, Duration step)
        throws SourceUnreachableException, QueryFailedException {
      try {
        return delegate.range(query, start, end, step);
      } finally {
        done.incrementAndGet();
      }
    }

    @Override
    public List<ActiveAlert> activeAlerts() throws SourceUnreachableException, QueryFailedException {
      try {
        return delegate.activeAlerts();
      } finally {
        done.incrementAndGet();
      }
    }
  }
}
