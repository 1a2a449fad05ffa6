package io.raftwatch.collector.promql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.raftwatch.collector.promql.Value.Matrix;
import io.raftwatch.collector.promql.Value.Sample;
import io.raftwatch.collector.promql.Value.Series;
import io.raftwatch.collector.tsdb.Labels;
import io.raftwatch.collector.tsdb.SampleBatch;
import io.raftwatch.collector.tsdb.Samples;
import io.raftwatch.collector.tsdb.SeriesStore;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The {@link Engine} facade: result types, range queries, limits and the parse API. */
class EngineTest {
  private final SeriesStore store = new SeriesStore(1000);
  private final Engine engine = new Engine(store);

  @BeforeEach
  void loadSeries() throws Exception {
    // Two counters scraped every 15 s for 30 minutes; the second goes stale at 20m.
    SampleBatch batch = new SampleBatch();
    Labels a = Labels.of("__name__", "requests_total", "job", "etcd", "instance", "a");
    Labels b = Labels.of("__name__", "requests_total", "job", "etcd", "instance", "b");
    for (long t = 0; t <= 30 * 60_000; t += 15_000) {
      batch.add(a, t, t / 1000.0);
      if (t < 20 * 60_000) {
        batch.add(b, t, 2 * t / 1000.0);
      } else if (t == 20 * 60_000) {
        batch.add(b, t, Samples.STALE_NAN);
      }
    }
    store.append("test", batch);
  }

  @Test
  void instantQueryOfAScalarIsAScalar() {
    Value v = engine.instantQuery("1 + time()", Instant.ofEpochSecond(60));
    assertThat(v).isEqualTo(new Value.Scalar(60_000, 61));
  }

  @Test
  void instantQueryStampsSamplesWithTheEvaluationTime() {
    Value v = engine.instantQuery("requests_total{instance=\"a\"}", Instant.ofEpochSecond(610));
    assertThat(v).isInstanceOf(Value.Vector.class);
    List<Sample> samples = ((Value.Vector) v).samples();
    assertThat(samples).hasSize(1);
    // The latest sample is from 600 s, the result is stamped 610 s, as Prometheus does.
    assertThat(samples.get(0).timestampMillis()).isEqualTo(610_000);
    assertThat(samples.get(0).value()).isEqualTo(600);
  }

  @Test
  void instantQueryOfARangeSelectorIsAMatrixOfRawSamples() {
    Value v = engine.instantQuery("requests_total{instance=\"a\"}[1m]", Instant.ofEpochSecond(600));
    assertThat(v).isInstanceOf(Matrix.class);
    Series s = ((Matrix) v).series().get(0);
    assertThat(s.timestampsMillis()).containsExactly(540_000, 555_000, 570_000, 585_000, 600_000);
    assertThat(s.values()).containsExactly(540, 555, 570, 585, 600);
  }

  @Test
  void instantQueryOfAStringIsAStringValue() {
    assertThat(engine.instantQuery("\"etcd\"", Instant.EPOCH))
        .isEqualTo(new Value.StringValue(0, "etcd"));
  }

  @Test
  void rangeQueryEqualsAnInstantQueryAtEveryStep() {
    String q =
        "sum by (job) (rate(requests_total[1m])) + on(job) group_left count by (job)"
            + " (requests_total)";
    Matrix m =
        engine.rangeQuery(
            q, Instant.ofEpochSecond(0), Instant.ofEpochSecond(1800), Duration.ofSeconds(30));
    assertThat(m.series()).hasSize(1);
    Series s = m.series().get(0);
    assertThat(s.labels()).isEqualTo(Labels.of("job", "etcd"));
    assertThat(s.size()).isEqualTo(60); // No value at 0 s: rate needs two samples.
    for (int i = 0; i < s.size(); i++) {
      Value.Vector at =
          (Value.Vector) engine.instantQuery(q, Instant.ofEpochMilli(s.timestampsMillis()[i]));
      assertThat(at.samples()).hasSize(1);
      assertThat(at.samples().get(0).value()).isEqualTo(s.values()[i]);
    }
  }

  @Test
  void rangeQueryEndsASeriesAtItsStalenessMarker() {
    Matrix m =
        engine.rangeQuery(
            "requests_total{instance=\"b\"}",
            Instant.ofEpochSecond(1140),
            Instant.ofEpochSecond(1260),
            Duration.ofSeconds(60));
    assertThat(m.series()).hasSize(1);
    // The marker at 1200 s ends the series: no value at 1200 s or 1260 s, though 1185 s is recent.
    assertThat(m.series().get(0).timestampsMillis()).containsExactly(1_140_000);
  }

  @Test
  void rangeQueryResolvesStartAndEndInAt() {
    Matrix m =
        engine.rangeQuery(
            "requests_total{instance=\"a\"} @ end()",
            Instant.ofEpochSecond(60),
            Instant.ofEpochSecond(180),
            Duration.ofSeconds(60));
    assertThat(m.series().get(0).values()).containsExactly(180, 180, 180);
  }

  @Test
  void rangeQueryRefusesARangeVector() {
    assertThatThrownBy(
            () ->
                engine.rangeQuery(
                    "requests_total[5m]",
                    Instant.EPOCH,
                    Instant.ofEpochSecond(60),
                    Duration.ofSeconds(15)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "invalid expression type \"range vector\" for range query, must be Scalar or instant"
                + " Vector");
  }

  @Test
  void tooManySamplesStopsTheQuery() {
    Engine small = new Engine(store, EngineOptions.defaults().withMaxSamples(100));
    assertThatThrownBy(
            () -> small.instantQuery("rate(requests_total[30m])", Instant.ofEpochSecond(1800)))
        .isInstanceOf(QueryLimitException.class)
        .hasMessage("query processing would load too many samples into memory in query execution");
  }

  @Test
  void aQueryPastItsTimeoutStops() {
    // A clock that moves one second each time it is read: the second read is past a 1 s timeout.
    AtomicLong nanos = new AtomicLong();
    Engine slow =
        new Engine(
            store,
            EngineOptions.defaults().withTimeout(Duration.ofMillis(1500)),
            () -> nanos.getAndAdd(1_000_000_000L));
    assertThatThrownBy(
            () ->
                slow.rangeQuery(
                    "requests_total",
                    Instant.EPOCH,
                    Instant.ofEpochSecond(1800),
                    Duration.ofSeconds(15)))
        .isInstanceOf(QueryLimitException.class)
        .hasMessage("query timed out in query execution");
  }

  @Test
  void lookbackDeltaIsConfigurable() {
    Engine shortLookback =
        new Engine(store, EngineOptions.defaults().withLookbackDelta(Duration.ofSeconds(10)));
    // Samples every 15 s: at 611 s the latest (600 s) is 11 s old.
    assertThat(
            ((Value.Vector)
                    shortLookback.instantQuery(
                        "requests_total{instance=\"a\"}", Instant.ofEpochSecond(611)))
                .samples())
        .isEmpty();
    assertThat(
            ((Value.Vector)
                    shortLookback.instantQuery(
                        "requests_total{instance=\"a\"}", Instant.ofEpochSecond(605)))
                .samples())
        .hasSize(1);
  }

  @Test
  void parseGivesTheTypeAndTheSelectors() {
    Expr e = Engine.parse("sum(rate(a{x=\"1\"}[5m])) / on() group_left max(b offset 1m) > bool 0");
    assertThat(e.type()).isEqualTo(ValueType.INSTANT_VECTOR);
    assertThat(e.selectors()).extracting(Expr.VectorSelector::name).containsExactly("a", "b");
    assertThat(e.selectors().get(1).offsetMillis()).isEqualTo(60_000);
  }

  @Test
  void evaluationErrorsAreTyped() {
    assertThatThrownBy(
            () ->
                engine.instantQuery(
                    "requests_total + on(job) requests_total", Instant.ofEpochSecond(60)))
        .isInstanceOf(PromqlEvalException.class)
        .hasMessageStartingWith("found duplicate series for the match group {job=\"etcd\"}");
  }
}
