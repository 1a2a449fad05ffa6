package io.raftwatch.collector.rules;

import static org.assertj.core.api.Assertions.assertThat;

import io.raftwatch.collector.promql.Engine;
import io.raftwatch.collector.promql.Value;
import io.raftwatch.collector.tsdb.Labels;
import io.raftwatch.collector.tsdb.SampleBatch;
import io.raftwatch.collector.tsdb.SeriesStore;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@link RuleGroup}: results written back to the store, staleness, errors kept per rule. */
class RuleGroupTest {
  private final SeriesStore store = new SeriesStore(1000, Duration.ofDays(1));
  private final Engine engine = new Engine(store);
  private final QueryFunction query = QueryFunction.of(engine);
  private final SampleSink sink = b -> store.append("rules", b);

  private List<RuleGroup> load(String yaml) throws Exception {
    return new RuleFileLoader(Duration.ofMinutes(1), Map.of(), "").parse(Path.of("g.yaml"), yaml);
  }

  private void sample(String series, long minute, double v) throws Exception {
    SampleBatch b = new SampleBatch();
    b.add(RuleUnitTester.metric(series), minute * 60_000, v);
    store.append("test", b);
  }

  private List<Value.Sample> at(String q, long minute) {
    return ((Value.Vector) engine.instantQuery(q, Instant.ofEpochSecond(minute * 60))).samples();
  }

  @Test
  void alertsSeriesGoStaleWhenTheAlertResolves() throws Exception {
    RuleGroup g =
        load("""
            groups:
              - name: g
                rules:
                  - record: job:v:sum
                    expr: sum by (job) (v)
                  - alert: High
                    expr: job:v:sum > 1
            """).get(0);
    sample("v{job=\"a\"}", 0, 5);
    sample("v{job=\"a\"}", 1, 0);
    g.eval(Instant.ofEpochSecond(0), query, sink);
    // The recording rule's output is visible to the alert evaluated after it in the same round.
    assertThat(at("ALERTS", 0)).hasSize(1);
    assertThat(at("job:v:sum", 0)).extracting(Value.Sample::value).containsExactly(5.0);
    g.eval(Instant.ofEpochSecond(60), query, sink);
    // Resolved at 1m: a staleness marker ends ALERTS at once instead of 5 minutes later.
    assertThat(at("ALERTS", 1)).isEmpty();
    assertThat(at("job:v:sum", 1)).extracting(Value.Sample::value).containsExactly(0.0);
  }

  @Test
  void aFailingRuleKeepsItsErrorAndTheNextRuleStillRuns() throws Exception {
    RuleGroup g =
        load("""
            groups:
              - name: g
                limit: 1
                rules:
                  - record: r
                    expr: v
                  - record: one
                    expr: vector(1)
            """).get(0);
    sample("v{i=\"1\"}", 0, 1);
    sample("v{i=\"2\"}", 0, 1);
    g.eval(Instant.EPOCH, query, sink);
    assertThat(g.lastError(g.rules().get(0)))
        .hasValueSatisfying(e -> assertThat(e).hasMessage("exceeded limit 1 with 2 series"));
    assertThat(g.lastError(g.rules().get(1))).isEmpty();
    assertThat(at("one", 0)).extracting(s -> s.labels()).containsExactly(Labels.of("__name__", "one"));
  }

  @Test
  void queryOffsetEvaluatesAndWritesEarlier() throws Exception {
    RuleGroup g =
        load("""
            groups:
              - name: g
                query_offset: 1m
                labels:
                  team: db
                rules:
                  - record: r
                    expr: v
            """).get(0);
    sample("v", 0, 3);
    g.eval(Instant.ofEpochSecond(60), query, sink);
    List<Value.Sample> r = at("r", 0);
    assertThat(r).hasSize(1);
    assertThat(r.get(0).labels()).isEqualTo(Labels.of("__name__", "r", "team", "db"));
  }
}
