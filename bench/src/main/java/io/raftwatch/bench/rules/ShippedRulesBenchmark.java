package io.raftwatch.bench.rules;

import io.raftwatch.collector.exposition.ExpositionFormat;
import io.raftwatch.collector.exposition.ExpositionParser;
import io.raftwatch.collector.exposition.MetricFamily;
import io.raftwatch.collector.exposition.MetricType;
import io.raftwatch.collector.exposition.ParsedScrape;
import io.raftwatch.collector.promql.Engine;
import io.raftwatch.collector.promql.Expr;
import io.raftwatch.collector.rules.QueryFunction;
import io.raftwatch.collector.rules.Rule;
import io.raftwatch.collector.rules.RuleFileLoader;
import io.raftwatch.collector.rules.RuleGroup;
import io.raftwatch.collector.rules.SampleSink;
import io.raftwatch.collector.tsdb.Labels;
import io.raftwatch.collector.tsdb.SampleBatch;
import io.raftwatch.collector.tsdb.SeriesStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * One evaluation round of every shipped rule ({@code alert-rules/etcd.rules.yaml}, both groups,
 * through {@link RuleGroup#eval}: queries, templates, alert state) at the end of {@code hours} of
 * data from {@code clusters} 3-member clusters scraped every 15 s.
 *
 * <p>The series are real etcd 3.4.23 ones: every series of {@code member-1-after-load.prom} whose
 * family a rule selects (697 {@code grpc_server_handled_total} series per member among them), plus
 * {@code up}, labelled per cluster and member. Counters and histograms advance each scrape by their
 * fixture value's per-second rate over the fixture's 66 s of uptime, scaled by one random factor
 * per member and scrape (so histogram buckets stay cumulative); gauges keep their fixture value.
 * Families no rule selects are left out to keep the store within a benchmark's heap.
 *
 * <p>Baseline: {@code bareQueries} evaluates the same 20 expressions as plain instant queries, so
 * {@code ruleRound / bareQueries} is what the rules layer adds. The group's output goes to a sink
 * that only counts samples. Run: {@code bin/bench ShippedRulesBenchmark -prof gc}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2, time = 5)
@Measurement(iterations = 3, time = 5)
@Fork(
    value = 1,
    jvmArgsAppend = {"-Xmx8g"})
public class ShippedRulesBenchmark {
  static final long INTERVAL_MILLIS = 15_000;
  static final double FIXTURE_UPTIME_SECONDS = 66;

  @Param({"100"})
  public int clusters;

  @Param({"6"})
  public int hours;

  private SeriesStore store;
  private Engine engine;
  private List<RuleGroup> groups;
  private List<Expr> exprs;
  private long now;

  @Setup
  public void load() throws Exception {
    Path shared = Path.of(System.getProperty("raftwatch.shared", "../shared"));
    Path repo = Path.of(System.getProperty("raftwatch.repo", "."));
    groups =
        new RuleFileLoader(Duration.ofMinutes(1), Map.of(), "")
            .load(repo.resolve("alert-rules/etcd.rules.yaml"));
    exprs = new ArrayList<>();
    Set<String> selected = new HashSet<>();
    for (RuleGroup g : groups) {
      for (Rule r : g.rules()) {
        exprs.add(r.expr());
        r.expr().selectors().forEach(s -> selected.add(s.name()));
      }
    }
    ParsedScrape fixture =
        new ExpositionParser()
            .parse(
                Files.readAllBytes(
                    shared.resolve("fixtures/etcd-3.4.23/member-1-after-load.prom")),
                ExpositionFormat.PROMETHEUS_TEXT);
    Map<String, MetricType> types = new HashMap<>();
    for (MetricFamily f : fixture.families()) {
      types.put(f.name(), f.type());
    }
    List<Labels> names = new ArrayList<>();
    List<Double> start = new ArrayList<>();
    List<Boolean> rising = new ArrayList<>();
    names.add(Labels.of("__name__", "up"));
    start.add(1.0);
    rising.add(false);
    for (int i = 0; i < fixture.size(); i++) {
      Labels l = fixture.labels(i);
      if (!selected.contains(l.name())) {
        continue;
      }
      String family = l.name().replaceAll("_(bucket|count|sum)$", "");
      MetricType t = types.getOrDefault(family, types.get(l.name()));
      names.add(l);
      start.add(fixture.value(i));
      rising.add(t == MetricType.COUNTER || t == MetricType.HISTOGRAM || t == MetricType.SUMMARY);
    }

    store = new SeriesStore(1_000_000, Duration.ofHours(hours + 1));
    long t0 = 1_700_000_000_000L;
    int scrapes = (int) (hours * 3_600_000L / INTERVAL_MILLIS);
    SplittableRandom random = new SplittableRandom(7);
    double perScrape = INTERVAL_MILLIS / 1000.0 / FIXTURE_UPTIME_SECONDS;
    for (int c = 0; c < clusters; c++) {
      for (int m = 0; m < 3; m++) {
        Labels[] series = new Labels[names.size()];
        for (int i = 0; i < series.length; i++) {
          series[i] =
              store.intern(
                  names.get(i).toBuilder()
                      .set("job", "etcd")
                      .set("cluster", "c" + c)
                      .set("instance", "m" + m + ":2379")
                      .build());
        }
        double[] values = new double[series.length];
        for (int i = 0; i < values.length; i++) {
          values[i] = start.get(i);
        }
        SampleBatch batch = new SampleBatch(series.length * 240);
        for (int k = 0; k < scrapes; k++) {
          double factor = perScrape * (0.5 + random.nextDouble());
          for (int i = 0; i < series.length; i++) {
            if (rising.get(i)) {
              values[i] += Math.rint(start.get(i) * factor);
            }
            batch.add(series[i], t0 + k * INTERVAL_MILLIS, values[i]);
          }
          if (batch.size() >= series.length * 200) {
            store.append("c" + c, batch);
            batch.clear();
          }
        }
        store.append("c" + c, batch);
      }
    }
    now = t0 + (scrapes - 1) * INTERVAL_MILLIS;
    engine = new Engine(store);
    System.out.printf(
        "%nloaded %d clusters x 3 members x %d series, %d h at 15 s: %s%n",
        clusters, names.size(), hours, store.stats());
    // A round whose rules fail would measure nothing useful: say so up front.
    System.out.printf("one round writes %d samples%n", ruleRound());
    for (RuleGroup g : groups) {
      for (Rule r : g.rules()) {
        g.lastError(r)
            .ifPresent(e -> System.out.printf("rule %s fails: %s%n", r.name(), e.getMessage()));
      }
    }
  }

  @Benchmark
  public long ruleRound() {
    Instant at = Instant.ofEpochMilli(now);
    QueryFunction query = QueryFunction.of(engine);
    long[] written = new long[1];
    SampleSink sink = b -> written[0] += b.size();
    for (RuleGroup g : groups) {
      g.eval(at, query, sink);
    }
    return written[0];
  }

  @Benchmark
  public void bareQueries(Blackhole bh) {
    Instant at = Instant.ofEpochMilli(now);
    for (Expr e : exprs) {
      bh.consume(engine.instantQuery(e, at));
    }
  }
}
