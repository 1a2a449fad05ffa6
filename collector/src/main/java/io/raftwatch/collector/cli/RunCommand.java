package io.raftwatch.collector.cli;

import io.raftwatch.collector.config.ConfigException;
import io.raftwatch.collector.config.RaftwatchConfig;
import io.raftwatch.collector.history.Database;
import io.raftwatch.collector.history.HistoryException;
import io.raftwatch.collector.jobs.Collector;
import io.raftwatch.collector.jobs.CollectorException;
import io.raftwatch.collector.jobs.CollectorOptions;
import io.raftwatch.collector.jobs.ReportTask;
import io.raftwatch.collector.maintenance.MaintenanceJobs;
import io.raftwatch.collector.notify.Notifier;
import io.raftwatch.collector.report.CollectorReports;
import io.raftwatch.collector.rules.RuleFileException;
import io.raftwatch.collector.scrape.TlsMaterialException;
import io.raftwatch.collector.web.CollectorWeb;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code raftwatch run}: the long-running collector. The composition root of a {@link Collector}
 * and of the web server next to it; runs on the main thread until SIGTERM or Ctrl-C, when a
 * shutdown hook closes the web server and the collector (waiting for running jobs). Mistakes in
 * flags, config, rule or TLS files, or the database are one line on stderr, never a stack trace.
 */
@Command(
    name = "run",
    mixinStandardHelpOptions = true,
    description = {"Run the collector: scrape every member of every cluster at its scrapeInterval, "
        + "evaluate the alert rules right after each scrape, keep alert transitions and check "
        + "results in the history, and serve the web page, JSON API and /metrics on --listen. "
        + "Runs until SIGTERM or Ctrl-C.",
        "",
        "With --db-url jdbc:postgresql://... the history lives in PostgreSQL and the scheduler "
            + "runs clustered on it: start several collectors with the same config and database, "
            + "and each health check runs on exactly one of them; when one dies, the others take "
            + "over its work. The password comes from the URL or from the environment variable "
            + Database.PASSWORD_ENV + "; it is never logged."},
    footer = {"", "Examples:",
        "  raftwatch run --config raftwatch.yaml",
        "  raftwatch run --config raftwatch.yaml --data-dir /var/lib/raftwatch --listen 0.0.0.0:9095",
        "  RAFTWATCH_DB_PASSWORD=... raftwatch run --config raftwatch.yaml \\",
        "      --db-url jdbc:postgresql://db:5432/raftwatch --db-user raftwatch",
        "", "See docs/run.md for scheduling, the history and high availability.",
        "", "Exit status: 0 stopped by a signal, 2 a mistake in the flags, config, rule or "
            + "certificate files, 1 the history database or the scheduler could not be set up."})
final class RunCommand implements Callable<Integer> {
  private static final Logger log = LoggerFactory.getLogger(RunCommand.class);

  @Spec CommandSpec spec;

  @Mixin ConfigOptions configOptions;

  @Option(names = "--data-dir", paramLabel = "DIR", defaultValue = "raftwatch-data",
      description = "Where the embedded history (H2) is kept, unless --db-url is given "
          + "(default: ./${DEFAULT-VALUE}).")
  Path dataDir;

  @Option(names = "--db-url", paramLabel = "URL",
      description = "Keep the history in this database and run the scheduler clustered on it: "
          + "jdbc:postgresql://HOST:PORT/DB[?user=U]. Every collector sharing it must have the "
          + "same config.")
  String dbUrl;

  @Option(names = "--db-user", paramLabel = "USER",
      description = "The database user, unless the URL names it.")
  String dbUser;

  @Option(names = "--listen", paramLabel = "HOST:PORT", defaultValue = "127.0.0.1:9095",
      converter = ListenConverter.class,
      description = "Where the web page, JSON API and /metrics are served "
          + "(default: ${DEFAULT-VALUE}; port 0 picks a free one).")
  InetSocketAddress listen;

  @Option(names = "--history-retention", paramLabel = "DURATION", defaultValue = "30d",
      converter = CheckCommand.DurationConverter.class,
      description = "Delete history (alert events, check results, maintenance runs) older than "
          + "this (default: ${DEFAULT-VALUE}).")
  Duration historyRetention;

  @Option(names = "--report-cron", paramLabel = "CRON",
      defaultValue = CollectorOptions.DEFAULT_REPORT_CRON,
      description = "When the daily report job runs, as a Quartz cron expression in UTC "
          + "(seconds minutes hours day-of-month month day-of-week; default: \"${DEFAULT-VALUE}\").")
  String reportCron;

  @Option(names = "--cluster-checkin-interval", paramLabel = "DURATION", defaultValue = "7500ms",
      converter = CheckCommand.DurationConverter.class,
      description = "With --db-url: how often collectors tell each other they are alive; one "
          + "silent for longer is taken as dead and its work taken over (default: ${DEFAULT-VALUE}).")
  Duration clusterCheckinInterval;

  @Option(names = "--check-cron", paramLabel = "CLUSTER=CRON",
      description = "Run CLUSTER's health check on this Quartz cron expression (UTC) instead of "
          + "its config's checkCron or every scrapeInterval, e.g. --check-cron 'prod=0 */5 * * * ?'. "
          + "Repeatable.")
  Map<String, String> checkCron = new LinkedHashMap<>();

  @Option(names = "--misfire-threshold", paramLabel = "DURATION", defaultValue = "5s",
      converter = CheckCommand.DurationConverter.class,
      description = "A fire that cannot start this long after its time (the previous run still "
          + "runs, or no collector was free) is skipped and counted as a misfire, never queued "
          + "(default: ${DEFAULT-VALUE}).")
  Duration misfireThreshold;

  @Override
  public Integer call() throws InterruptedException {
    PrintWriter err = spec.commandLine().getErr();
    RaftwatchConfig config;
    try {
      config = configOptions.load();
    } catch (ConfigException e) {
      e.problems().forEach(err::println);
      err.flush();
      return RaftwatchCommand.USAGE;
    }
    Collector collector;
    try {
      CollectorOptions options = CollectorOptions.defaults(dataDir)
          .withRetention(historyRetention, CollectorOptions.defaults(dataDir).retentionInterval())
          .withReport(reportCron, reportTask())
          .withCheckCron(checkCron)
          .withMisfireThreshold(misfireThreshold)
          .withClusterCheckinInterval(clusterCheckinInterval);
      if (dbUrl != null) {
        options = options.withDatabase(dbUrl, Optional.ofNullable(dbUser),
            Optional.ofNullable(System.getenv(Database.PASSWORD_ENV)));
      }
      collector = Collector.create(config, options);
    } catch (RuleFileException | TlsMaterialException | IllegalArgumentException e) {
      err.println("raftwatch: " + e.getMessage());
      err.flush();
      return RaftwatchCommand.USAGE;
    } catch (HistoryException | CollectorException e) {
      err.println("raftwatch: " + e.getMessage());
      err.flush();
      return 1;
    }
    Notifier notifier;
    MaintenanceJobs maintenance;
    try {
      notifier = Notifier.attach(collector, externalUrl(listen));
    } catch (TlsMaterialException e) {
      collector.close();
      err.println("raftwatch: notify: " + e.getMessage());
      err.flush();
      return RaftwatchCommand.USAGE;
    }
    try {
      maintenance = MaintenanceJobs.attach(collector);
    } catch (TlsMaterialException | IllegalArgumentException e) {
      collector.close();
      notifier.close();
      err.println("raftwatch: maintenance: " + e.getMessage());
      err.flush();
      return RaftwatchCommand.USAGE;
    }
    CountDownLatch stopped = new CountDownLatch(1);
    CollectorWeb web = null;
    try {
      // The page first, so that it is there from the first health check on.
      web = startWeb(collector, listen);
      collector.start();
    } catch (RuntimeException e) {
      if (web != null) {
        web.close();
      }
      collector.close();
      notifier.close();
      maintenance.close();
      err.println("raftwatch: " + e.getMessage());
      err.flush();
      return 1;
    }
    CollectorWeb started = web;
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      log.info("stopping: closing the web server and the collector");
      started.close();
      collector.close();
      notifier.close();
      maintenance.close();
      stopped.countDown();
    }, "raftwatch-shutdown"));
    PrintWriter out = spec.commandLine().getOut();
    out.println("raftwatch run: watching " + collector.clusters().size() + " cluster(s), history in "
        + collector.history().database() + ", instance " + collector.instanceId());
    collector.describeClusters().forEach(line -> out.println("  " + line));
    out.println("raftwatch run: the page is at " + started.baseUri() + "/ (Prometheus API at "
        + started.baseUri() + "/api/v1/, metrics at " + started.baseUri() + "/metrics)");
    out.flush();
    stopped.await();
    return 0;
  }

  /**
   * Starts the web server for {@code collector} on {@code address}; a page refresh is pushed within
   * a second of each health check.
   *
   * @throws IllegalStateException when the address cannot be bound, with the reason
   */
  private static CollectorWeb startWeb(Collector collector, InetSocketAddress address) {
    InetSocketAddress resolved = new InetSocketAddress(address.getHostString(), address.getPort());
    if (resolved.isUnresolved()) {
      throw new IllegalStateException("--listen: unknown host " + address.getHostString());
    }
    try {
      return CollectorWeb.start(collector, resolved, Duration.ofSeconds(1));
    } catch (IOException e) {
      throw new IllegalStateException("cannot listen on " + address.getHostString() + ":"
          + address.getPort() + ": " + e.getMessage());
    }
  }

  /** What the daily report job does: each cluster's report, kept under the data directory. */
  private static ReportTask reportTask() {
    return new CollectorReports();
  }

  /**
   * The collector's own URL for alert links when {@code notify.externalUrl} is not set: the
   * {@code --listen} address, with the host name instead of a wildcard address (as Prometheus).
   */
  static String externalUrl(InetSocketAddress listen) {
    String host = listen.getHostString();
    if (host.equals("0.0.0.0") || host.equals("::") || host.isEmpty()) {
      try {
        host = java.net.InetAddress.getLocalHost().getHostName();
      } catch (java.net.UnknownHostException e) {
        host = "localhost";
      }
    }
    return "http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + listen.getPort();
  }

  /** Reads {@code --listen} as host:port ({@code [::1]:9095} for IPv6). */
  static final class ListenConverter implements ITypeConverter<InetSocketAddress> {
    @Override
    public InetSocketAddress convert(String value) {
      int colon = value.lastIndexOf(':');
      if (colon <= 0 || colon == value.length() - 1) {
        throw new IllegalArgumentException("expected HOST:PORT, got '" + value + "'");
      }
      String host = value.substring(0, colon);
      if (host.startsWith("[") && host.endsWith("]")) {
        host = host.substring(1, host.length() - 1);
      }
      int port;
      try {
        port = Integer.parseInt(value.substring(colon + 1));
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("the port in '" + value + "' is not a number");
      }
      if (port < 0 || port > 65535) {
        throw new IllegalArgumentException("the port in '" + value + "' is out of range");
      }
      return InetSocketAddress.createUnresolved(host, port);
    }
  }
}
