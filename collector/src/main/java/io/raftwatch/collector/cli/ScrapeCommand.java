package io.raftwatch.collector.cli;

import io.prometheus.client.CollectorRegistry;
import io.raftwatch.collector.config.ClusterConfig;
import io.raftwatch.collector.config.ConfigException;
import io.raftwatch.collector.config.RaftwatchConfig;
import io.raftwatch.collector.scrape.ClusterScraper;
import io.raftwatch.collector.scrape.ScrapeMetrics;
import io.raftwatch.collector.scrape.TargetHealth;
import io.raftwatch.collector.scrape.TlsMaterialException;
import io.raftwatch.collector.tsdb.LabelMatcher;
import io.raftwatch.collector.tsdb.SampleIterator;
import io.raftwatch.collector.tsdb.SeriesStore;
import io.raftwatch.collector.tsdb.SeriesView;
import java.io.PrintWriter;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code raftwatch scrape}: scrapes every member once, in parallel, through the same pipeline as
 * the collector (fetch, parse, store), and prints a table per member; {@code --dump} also prints
 * the stored series. The composition root for a one-shot scrape; runs on the main thread.
 */
@Command(
    name = "scrape",
    mixinStandardHelpOptions = true,
    description = {"Scrape every member's /metrics once and show, per member: up, whether it is "
        + "the leader (etcd_server_is_leader), how long the scrape took, how many series it "
        + "returned and the last error."},
    footer = {"", "Examples:",
        "  raftwatch scrape --config raftwatch.yaml",
        "  raftwatch scrape --endpoints=https://127.0.0.1:2379 --cacert=ca.crt --cert=client.crt --key=client.key",
        "  raftwatch scrape --config raftwatch.yaml --cluster prod --dump",
        "", "Exit status: 0 every member up, 1 a member is down, 2 a mistake in the flags, "
            + "config or certificate files."})
final class ScrapeCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Mixin ConfigOptions configOptions;

  @Option(names = "--dump", description = "Also print every scraped series with its value.")
  boolean dump;

  private final Clock clock = Clock.systemUTC();

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    RaftwatchConfig config;
    try {
      config = configOptions.load();
    } catch (ConfigException e) {
      e.problems().forEach(p -> err.println(p));
      return RaftwatchCommand.USAGE;
    }
    SeriesStore store = new SeriesStore(1_000_000);
    // A one-shot scrape exports nothing; the metrics go to a registry of their own.
    ScrapeMetrics metrics = new ScrapeMetrics(new CollectorRegistry());
    List<ClusterScraper> scrapers = new ArrayList<>();
    try {
      for (ClusterConfig cluster : config.clusters()) {
        ClusterScraper scraper = ClusterScraper.create(cluster, store, clock, metrics);
        scrapers.add(scraper);
        // Expired certificates and insecureSkipVerify were just logged as warnings by create().
      }
      List<TargetHealth> results = new ArrayList<>();
      for (ClusterScraper scraper : scrapers) {
        results.addAll(scraper.scrapeAndWait());
      }
      printTable(out, results, store, config.clusters().size() > 1);
      if (dump) {
        printSeries(out, store);
      }
      out.flush();
      return results.stream().allMatch(TargetHealth::up) ? 0 : 1;
    } catch (TlsMaterialException e) {
      err.println("raftwatch: " + e.getMessage());
      return RaftwatchCommand.USAGE;
    } finally {
      scrapers.forEach(ClusterScraper::close);
    }
  }

  private static void printTable(PrintWriter out, List<TargetHealth> results, SeriesStore store,
      boolean showCluster) {
    List<String[]> rows = new ArrayList<>();
    rows.add(new String[] {"CLUSTER", "MEMBER", "UP", "LEADER", "SCRAPE", "SERIES", "LAST ERROR"});
    for (TargetHealth h : results) {
      rows.add(new String[] {
        h.target().cluster(),
        h.target().member().equals(h.target().instance()) ? h.target().member()
            : h.target().member() + " (" + h.target().instance() + ")",
        h.up() ? "1" : "0",
        leader(store, h),
        String.format(Locale.ROOT, "%.1fms", h.duration().toNanos() / 1e6),
        h.up() ? String.valueOf(h.samplesScraped()) : "-",
        h.lastError().map(e -> e.substring(e.indexOf(": ") + 2)).orElse("")
      });
    }
    int first = showCluster ? 0 : 1;
    int[] width = new int[rows.get(0).length];
    for (String[] row : rows) {
      for (int i = 0; i < row.length; i++) {
        width[i] = Math.max(width[i], row[i].length());
      }
    }
    for (String[] row : rows) {
      StringBuilder line = new StringBuilder();
      for (int i = first; i < row.length; i++) {
        line.append(i == row.length - 1 ? row[i] : String.format("%-" + width[i] + "s  ", row[i]));
      }
      out.println(line.toString().stripTrailing());
    }
  }

  /** "yes"/"no" from the scrape just stored; "-" when the member did not say. */
  private static String leader(SeriesStore store, TargetHealth h) {
    long t = h.scrapeTime().toEpochMilli();
    List<SeriesView> views = store.select(t, t, List.of(
        LabelMatcher.eq("__name__", "etcd_server_is_leader"),
        LabelMatcher.eq("cluster", h.target().cluster()),
        LabelMatcher.eq("member", h.target().member())));
    for (SeriesView v : views) {
      SampleIterator it = v.samples();
      while (it.next()) {
        if (!Double.isNaN(it.value())) {
          return it.value() == 1 ? "yes" : "no";
        }
      }
    }
    return "-";
  }

  private static void printSeries(PrintWriter out, SeriesStore store) {
    out.println();
    for (SeriesView v : store.select(Long.MIN_VALUE, Long.MAX_VALUE, List.of())) {
      SampleIterator it = v.samples();
      while (it.next()) {
        out.println(v.labels() + " " + formatValue(it.value()) + " " + it.timestamp());
      }
    }
  }

  private static String formatValue(double v) {
    if (Double.isNaN(v)) {
      return "NaN";
    }
    if (Double.isInfinite(v)) {
      return v > 0 ? "+Inf" : "-Inf";
    }
    return v == Math.rint(v) && Math.abs(v) < 1e15 ? String.valueOf((long) v) : String.valueOf(v);
  }
}
