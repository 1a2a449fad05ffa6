package io.raftwatch.bench.promql;

import io.raftwatch.collector.promql.Engine;
import io.raftwatch.collector.promql.Expr;
import io.raftwatch.collector.promql.Value;
import io.raftwatch.collector.tsdb.LabelMatcher;
import io.raftwatch.collector.tsdb.Labels;
import io.raftwatch.collector.tsdb.SampleBatch;
import io.raftwatch.collector.tsdb.SampleIterator;
import io.raftwatch.collector.tsdb.SeriesStore;
import io.raftwatch.collector.tsdb.SeriesView;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
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
 * One round of the etcd mixin's alert expressions, evaluated as instant queries at the end of
 * {@code hours} of data from {@code clusters} 3-member clusters scraped every 15 s (synthetic
 * etcd-like series: up, leader, counters, two 15-bucket histograms, database sizes).
 *
 * <p>{@code ruleRound} is the engine; the baseline {@code selectAndScan} does about the storage
 * work the same round needs — each selector's {@code select} over the last 15 minutes (4 h for
 * predict_linear's), iterating every sample — so the ratio of the two is the engine's own cost over
 * the store's. Run: {@code bin/bench RuleRoundBenchmark}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2, time = 5)
@Measurement(iterations = 3, time = 5)
@Fork(
    value = 1,
    jvmArgsAppend = {"-Xmx6g"})
public class RuleRoundBenchmark {
  static final long INTERVAL_MILLIS = 15_000;
  static final String[] RULES = {
    "max without (endpoint) (sum without (instance) (up{job=~\".*etcd.*\"} == bool 0) or count"
        + " without (To) (sum without (instance)"
        + " (rate(etcd_network_peer_sent_failures_total{job=~\".*etcd.*\"}[120s])) > 0.01)) > 0",
    "sum(up{job=~\".*etcd.*\"} == bool 1) without (instance) < ((count(up{job=~\".*etcd.*\"})"
        + " without (instance) + 1) / 2)",
    "etcd_server_has_leader{job=~\".*etcd.*\"} == 0",
    "increase((max without (instance) (etcd_server_leader_changes_seen_total{job=~\".*etcd.*\"}) or"
        + " 0*absent(etcd_server_leader_changes_seen_total{job=~\".*etcd.*\"}))[15m:1m]) >= 4",
    "100 * sum(rate(grpc_server_handled_total{job=~\".*etcd.*\","
        + " grpc_code=~\"Unknown|FailedPrecondition|ResourceExhausted|Internal|Unavailable|DataLoss|DeadlineExceeded\"}[5m]))"
        + " without (grpc_type, grpc_code) /"
        + " sum(rate(grpc_server_handled_total{job=~\".*etcd.*\"}[5m])) without (grpc_type,"
        + " grpc_code) > 1",
    "rate(etcd_server_proposals_failed_total{job=~\".*etcd.*\"}[15m]) > 5",
    "histogram_quantile(0.99,"
        + " rate(etcd_disk_wal_fsync_duration_seconds_bucket{job=~\".*etcd.*\"}[5m])) > 0.5",
    "histogram_quantile(0.99,"
        + " rate(etcd_disk_backend_commit_duration_seconds_bucket{job=~\".*etcd.*\"}[5m])) > 0.25",
    "(last_over_time(etcd_mvcc_db_total_size_in_bytes{job=~\".*etcd.*\"}[5m]) /"
        + " last_over_time(etcd_server_quota_backend_bytes{job=~\".*etcd.*\"}[5m]))*100 > 95",
    "predict_linear(etcd_mvcc_db_total_size_in_use_in_bytes{job=~\".*etcd.*\"}[4h], 4*60*60) >"
        + " etcd_server_quota_backend_bytes{job=~\".*etcd.*\"}",
    "(last_over_time(etcd_mvcc_db_total_size_in_use_in_bytes{job=~\".*etcd.*\"}[5m]) /"
        + " last_over_time(etcd_mvcc_db_total_size_in_bytes{job=~\".*etcd.*\"}[5m])) < 0.5 and"
        + " etcd_mvcc_db_total_size_in_use_in_bytes{job=~\".*etcd.*\"} > 104857600",
  };
  static final double[] BUCKETS = {
    0.001, 0.002, 0.004, 0.008, 0.016, 0.032, 0.064, 0.128, 0.256, 0.512, 1.024, 2.048, 4.096, 8.192
  };

  @Param({"100"})
  public int clusters;

  @Param({"6"})
  public int hours;

  private SeriesStore store;
  private Engine engine;
  private List<Expr> rules;
  private long now;
  // For the baseline: each selector's matchers and the window the engine reads for it.
  private final List<List<LabelMatcher>> selectorMatchers = new ArrayList<>();
  private final List<long[]> selectorWindows = new ArrayList<>();

  @Setup
  public void load() throws Exception {
    store = new SeriesStore(100_000, java.time.Duration.ofHours(hours + 1));
    long t0 = 1_700_000_000_000L;
    int scrapes = (int) (hours * 3_600_000L / INTERVAL_MILLIS);
    SplittableRandom random = new SplittableRandom(7);
    for (int c = 0; c < clusters; c++) {
      for (int m = 0; m < 3; m++) {
        Labels base = Labels.of("job", "etcd", "cluster", "c" + c, "instance", "m" + m);
        SampleBatch batch = new SampleBatch(scrapes * 48);
        memberSeries(batch, base, t0, scrapes, random);
        store.append("c" + c, batch);
      }
    }
    now = t0 + (scrapes - 1) * INTERVAL_MILLIS;
    engine = new Engine(store);
    rules = new ArrayList<>();
    for (String r : RULES) {
      Expr e = Engine.parse(r);
      rules.add(e);
      for (Expr.VectorSelector vs : e.selectors()) {
        selectorMatchers.add(vs.matchers());
        long range =
            r.contains("[4h]") && vs.name().contains("in_use") ? 4 * 3_600_000L : 15 * 60_000L;
        selectorWindows.add(new long[] {now - range, now});
      }
    }
    System.out.printf(
        "%nloaded %d clusters x 3 members, %d h at 15 s: %s%n", clusters, hours, store.stats());
  }

  /** The series of one member: 45 of them, counters rising with noise. */
  private static void memberSeries(
      SampleBatch b, Labels base, long t0, int scrapes, SplittableRandom r) {
    List<Labels> names = new ArrayList<>();
    names.add(with(base, "up"));
    names.add(with(base, "etcd_server_has_leader"));
    names.add(with(base, "etcd_server_leader_changes_seen_total"));
    names.add(with(base, "etcd_server_proposals_failed_total"));
    names.add(with(base, "etcd_mvcc_db_total_size_in_bytes"));
    names.add(with(base, "etcd_mvcc_db_total_size_in_use_in_bytes"));
    names.add(with(base, "etcd_server_quota_backend_bytes"));
    names.add(
        with(base, "etcd_network_peer_sent_failures_total").toBuilder().set("To", "peer").build());
    for (String code : new String[] {"OK", "Unavailable", "Canceled"}) {
      for (String method : new String[] {"Range", "Put"}) {
        names.add(
            with(base, "grpc_server_handled_total").toBuilder()
                .set("grpc_code", code)
                .set("grpc_method", method)
                .set("grpc_type", "unary")
                .build());
      }
    }
    int firstBucket = names.size();
    for (String h :
        new String[] {
          "etcd_disk_wal_fsync_duration_seconds_bucket",
          "etcd_disk_backend_commit_duration_seconds_bucket"
        }) {
      for (double le : BUCKETS) {
        names.add(with(base, h).toBuilder().set("le", Double.toString(le)).build());
      }
      names.add(with(base, h).toBuilder().set("le", "+Inf").build());
    }
    double[] values = new double[names.size()];
    values[0] = 1;
    values[1] = 1;
    values[4] = 1e8;
    values[5] = 5e7;
    values[6] = 8e9;
    for (int k = 0; k < scrapes; k++) {
      long t = t0 + k * INTERVAL_MILLIS;
      values[2] += r.nextInt(1000) == 0 ? 1 : 0;
      values[3] += r.nextInt(3);
      values[4] += r.nextInt(5000);
      values[5] += r.nextInt(4000);
      values[7] += r.nextInt(2);
      for (int i = 8; i < firstBucket; i++) {
        values[i] += r.nextInt(50);
      }
      for (int h = 0; h < 2; h++) {
        int from = firstBucket + h * (BUCKETS.length + 1);
        // This scrape's new observations per bucket, added cumulatively as le buckets count.
        double cumulative = 0;
        for (int i = 0; i <= BUCKETS.length; i++) {
          cumulative += r.nextInt(i < 6 ? 20 : 2);
          values[from + i] += cumulative;
        }
      }
      for (int i = 0; i < names.size(); i++) {
        b.add(names.get(i), t, values[i]);
      }
    }
  }

  private static Labels with(Labels base, String name) {
    return base.toBuilder().set("__name__", name).build();
  }

  @Benchmark
  public void ruleRound(Blackhole bh) {
    Instant at = Instant.ofEpochMilli(now);
    for (Expr rule : rules) {
      Value v = engine.instantQuery(rule, at);
      bh.consume(v);
    }
  }

  @Benchmark
  public double selectAndScan() {
    double sum = 0;
    for (int i = 0; i < selectorMatchers.size(); i++) {
      long[] w = selectorWindows.get(i);
      for (SeriesView s : store.select(w[0], w[1], selectorMatchers.get(i))) {
        SampleIterator it = s.samples();
        while (it.next()) {
          sum += it.value();
        }
      }
    }
    return sum;
  }
}
