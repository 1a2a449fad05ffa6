package io.raftwatch.collector.report;

import io.raftwatch.collector.check.RuleSource;
import io.raftwatch.collector.health.ClusterState;
import io.raftwatch.collector.history.EventFilter;
import io.raftwatch.collector.jobs.ClusterWatch;
import io.raftwatch.collector.jobs.Collector;
import io.raftwatch.collector.jobs.ReportTask;
import io.raftwatch.collector.report.source.ActiveAlert;
import io.raftwatch.collector.report.source.EngineQuerySource;
import io.raftwatch.collector.report.source.SourceUnreachableException;
import io.raftwatch.collector.rules.RuleFileException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reports built in-process from a running {@link Collector}: its engine over the series store,
 * the alerts of its cluster watches, and the alert transitions in its history. Two callers:
 *
 * <ul>
 *   <li>the daily report job, as the collector's {@link ReportTask}: for each cluster it writes
 *       {@code <data-dir>/reports/<cluster>-<yyyy-mm-dd>.html}, {@code .md} and {@code .json},
 *       covering the {@link #DAILY_WINDOW} before the fire time (dated by the fire time, UTC);
 *   <li>the web page, through {@link #render}, to serve {@code /reports/<cluster>.html|md|json}.
 * </ul>
 *
 * <p>Thread-safe: each call builds its own report; the collector's parts are thread-safe. A
 * report covers at most what the store keeps (its retention); older alerts still come from the
 * history.
 */
public final class CollectorReports implements ReportTask {
  /** What the daily report covers. */
  public static final Duration DAILY_WINDOW = Duration.ofHours(24);

  private static final Logger log = LoggerFactory.getLogger(CollectorReports.class);

  private final ReportRenderer renderer = new ReportRenderer();

  /**
   * The report on {@code cluster} over the {@code window} before {@code to}.
   *
   * @throws NoSuchElementException when the collector has no such cluster (the message names it)
   */
  public ClusterReport build(Collector collector, String cluster, Duration window, Instant to)
      throws RuleFileException {
    ClusterWatch watch = collector.cluster(cluster).orElseThrow(() -> new NoSuchElementException(
        "no cluster '" + cluster + "'; the collector watches " + String.join(", ",
            collector.clusters().stream().map(ClusterWatch::name).toList())));
    ReportRequest request = ReportRequest.of(watch.config(), window, to,
        RuleSource.staticAnnotations(RuleSource.of(watch.config(), List.of())))
        .withAlertEvents(collector.history().events(EventFilter.all().withCluster(cluster)
            .between(to.minus(window), to).withLimit(EventFilter.MAX_LIMIT)));
    EngineQuerySource source = new EngineQuerySource(collector.engine(),
        () -> activeAlerts(watch.state()));
    try {
      return new ReportBuilder(source).build(request);
    } catch (SourceUnreachableException e) {
      throw new IllegalStateException("the in-process source cannot be unreachable", e);
    }
  }

  /** {@link #build} rendered in {@code format}; for the web page. */
  public String render(Collector collector, String cluster, ReportFormat format, Duration window,
      Instant to) throws RuleFileException {
    return renderer.render(build(collector, cluster, window, to), format);
  }

  /** The daily job: every cluster's report in every format, under the data directory. */
  @Override
  public void run(Collector collector, Instant fireTime) throws IOException, RuleFileException {
    Path dir = Files.createDirectories(reportsDir(collector.options().dataDir()));
    LocalDate date = LocalDate.ofInstant(fireTime, ZoneOffset.UTC);
    for (ClusterWatch watch : collector.clusters()) {
      ClusterReport report = build(collector, watch.name(), DAILY_WINDOW, fireTime);
      for (ReportFormat f : ReportFormat.values()) {
        Path file = dir.resolve(fileName(watch.name(), date, f));
        // Written aside and moved, so that the page never serves half a report.
        Path tmp = dir.resolve(file.getFileName() + ".tmp");
        Files.writeString(tmp, renderer.render(report, f), StandardCharsets.UTF_8);
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      }
      log.info("daily report on {}: {} ({})", watch.name(), report.verdict(), report.verdictReason());
    }
  }

  /** Where the daily reports are kept: {@code <data-dir>/reports}. */
  public static Path reportsDir(Path dataDir) {
    return dataDir.resolve("reports");
  }

  /** {@code <cluster>-<date>.<ext>}; a cluster name's path separators become '_'. */
  public static String fileName(String cluster, LocalDate date, ReportFormat format) {
    return cluster.replaceAll("[/\\\\:\\x00]", "_") + "-" + date + "." + format.extension();
  }

  private static List<ActiveAlert> activeAlerts(ClusterState state) {
    List<ActiveAlert> out = new ArrayList<>();
    for (ClusterState.ActiveAlert a : state.alerts()) {
      out.add(new ActiveAlert(a.labels(), a.annotations(), a.state().toString(),
          Optional.of(a.activeAt()), a.value()));
    }
    return out;
  }
}
