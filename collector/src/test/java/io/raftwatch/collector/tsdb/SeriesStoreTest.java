package io.raftwatch.collector.tsdb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SeriesStoreTest {
  private static final long T0 = 1_700_000_000_000L;
  private static final Labels UP_A = Labels.of("__name__", "up", "instance", "a", "job", "etcd");
  private static final Labels UP_B = Labels.of("__name__", "up", "instance", "b", "job", "etcd");
  private static final Labels PUTS_A =
      Labels.of("__name__", "puts_total", "instance", "a", "job", "etcd");

  private final SeriesStore store = new SeriesStore(100);

  @Test
  void appendReportsNewSeriesOnlyTheFirstTime() throws Exception {
    AppendResult first = store.append("c", batch(T0, UP_A, 1, UP_B, 1));
    AppendResult second = store.append("c", batch(T0 + 15_000, UP_A, 1, UP_B, 0));

    assertThat(first).isEqualTo(new AppendResult(2, 2, 0, 0));
    assertThat(second).isEqualTo(new AppendResult(2, 0, 0, 0));
    assertThat(store.seriesCount("c")).isEqualTo(2);
  }

  @Test
  void dropsOutOfOrderAndDuplicateSamplesAndCountsThem() throws Exception {
    store.append("c", batch(T0, UP_A, 1));

    AppendResult result = store.append("c", batch(T0, UP_A, 2, UP_A, 3));
    SampleBatch older = new SampleBatch();
    older.add(UP_A, T0 - 1, 4);

    assertThat(result).isEqualTo(new AppendResult(0, 0, 0, 2));
    assertThat(store.append("c", older)).isEqualTo(new AppendResult(0, 0, 1, 0));
    assertThat(read(UP_A, T0 - 10, T0 + 10)).containsExactly(T0 + "=1.0");
  }

  @Test
  void selectsByEveryMatcherTypeAndSortsByLabels() throws Exception {
    store.append("c", batch(T0, UP_B, 1, UP_A, 1, PUTS_A, 5));

    assertThat(names(List.of(LabelMatcher.eq("__name__", "up"))))
        .containsExactly(UP_A.toString(), UP_B.toString());
    assertThat(names(List.of(LabelMatcher.neq("instance", "a")))).containsExactly(UP_B.toString());
    assertThat(
            names(
                List.of(
                    LabelMatcher.re("__name__", "up|puts_total"),
                    LabelMatcher.eq("instance", "a"))))
        .containsExactly(PUTS_A.toString(), UP_A.toString());
    assertThat(names(List.of(LabelMatcher.nre("__name__", "u.*"))))
        .containsExactly(PUTS_A.toString());
    assertThat(names(List.of(LabelMatcher.eq("missing", "")))).hasSize(3);
    assertThat(names(List.of(LabelMatcher.re("missing", ".+")))).isEmpty();
    assertThat(names(List.of(LabelMatcher.re("instance", "")))).isEmpty();
  }

  @Test
  void rangeReadReturnsOnlySamplesInsideInclusiveBoundsAcrossChunks() throws Exception {
    for (int i = 0; i < 500; i++) {
      store.append("c", batch(T0 + i * 15_000L, UP_A, i));
    }

    List<String> samples = read(UP_A, T0 + 100 * 15_000L, T0 + 300 * 15_000L);

    assertThat(samples).hasSize(201);
    assertThat(samples.get(0)).isEqualTo((T0 + 100 * 15_000L) + "=100.0");
    assertThat(samples.get(200)).isEqualTo((T0 + 300 * 15_000L) + "=300.0");
    assertThat(store.select(T0 + 500 * 15_000L, Long.MAX_VALUE, List.of())).isEmpty();
  }

  @Test
  void selectLeavesOutASeriesWithoutSamplesInTheRangeEvenIfAChunkSpansIt() throws Exception {
    store.append("c", batch(T0, UP_A, 1));
    store.append("c", batch(T0 + 60_000, UP_A, 2));

    assertThat(store.select(T0 + 1, T0 + 59_999, List.of())).isEmpty();
    assertThat(store.select(T0 + 1, T0 + 60_000, List.of())).hasSize(1);
  }

  @Test
  void keepsStalenessMarkersAsStaleNaN() throws Exception {
    store.append("c", batch(T0, UP_A, 1));
    store.append("c", batch(T0 + 15_000, UP_A, Samples.STALE_NAN));

    SampleIterator it = store.select(T0, T0 + 15_000, List.of()).get(0).samples();
    it.next();
    it.next();

    assertThat(Samples.isStale(it.value())).isTrue();
  }

  @Test
  void seriesLimitRefusesTheWholeBatchNamesTheClusterAndKeepsWhatIsStored() throws Exception {
    SeriesStore small = new SeriesStore(2);
    small.append("prod", batch(T0, UP_A, 1, UP_B, 1));

    assertThatThrownBy(() -> small.append("prod", batch(T0 + 15_000, UP_A, 2, PUTS_A, 1)))
        .isInstanceOf(SeriesLimitExceededException.class)
        .hasMessage("cluster 'prod' sends more than 2 series; raise limits.maxSeries");

    assertThat(small.select(T0, T0 + 60_000, List.of())).hasSize(2);
    assertThat(small.select(T0 + 1, T0 + 60_000, List.of())).isEmpty(); // UP_A's 2 was not applied.
    assertThat(small.append("prod", batch(T0 + 30_000, UP_A, 3)).samplesAppended()).isEqualTo(1);
    assertThat(small.append("other", batch(T0, PUTS_A, 1)).seriesAdded()).isEqualTo(1);
  }

  @Test
  void retentionDropsOldChunksThenWholeSeriesAndFreesTheirSlots() throws Exception {
    SeriesStore small = new SeriesStore(1);
    for (int i = 0; i < 300; i++) {
      small.append("c", batch(T0 + i * 15_000L, UP_A, i));
    }

    small.truncateBefore(T0 + 250 * 15_000L);
    List<String> kept = read(small, UP_A, 0, Long.MAX_VALUE);
    small.truncateBefore(T0 + 300 * 15_000L);

    // Chunks of 120 samples: [0,120) and [120,240) are wholly older, [240,300) stays whole.
    assertThat(kept).hasSize(60).first().isEqualTo((T0 + 240 * 15_000L) + "=240.0");
    assertThat(small.select(0, Long.MAX_VALUE, List.of())).isEmpty();
    assertThat(small.labelNames(List.of())).isEmpty();
    assertThat(small.append("c", batch(T0 + 400 * 15_000L, UP_B, 1)).seriesAdded()).isEqualTo(1);
  }

  @Test
  void applyRetentionKeepsTheConfiguredWindow() throws Exception {
    store.append("c", batch(T0, UP_A, 1));
    store.applyRetention(T0 + SeriesStore.DEFAULT_RETENTION.toMillis());
    assertThat(store.stats().series()).isEqualTo(1);

    store.applyRetention(T0 + SeriesStore.DEFAULT_RETENTION.toMillis() + 1);
    assertThat(store.stats().series()).isZero();
  }

  @Test
  void listsLabelNamesAndValuesForTheApi() throws Exception {
    store.append("c", batch(T0, UP_B, 1, UP_A, 1, PUTS_A, 5));

    assertThat(store.labelNames(List.of())).containsExactly("__name__", "instance", "job");
    assertThat(store.labelValues("instance", List.of(LabelMatcher.eq("__name__", "up"))))
        .containsExactly("a", "b");
    assertThat(store.labelValues("__name__", List.of())).containsExactly("puts_total", "up");
  }

  @Test
  void internReturnsTheStoredInstance() throws Exception {
    store.append("c", batch(T0, UP_A, 1));
    Labels copy = Labels.of("__name__", "up", "instance", "a", "job", "etcd");

    assertThat(store.intern(copy)).isSameAs(UP_A);
  }

  @Test
  void viewIsASnapshotUnaffectedByLaterAppends() throws Exception {
    store.append("c", batch(T0, UP_A, 1));
    SeriesView view = store.select(0, Long.MAX_VALUE, List.of()).get(0);
    store.append("c", batch(T0 + 1, UP_A, 2));

    assertThat(drain(view)).containsExactly(T0 + "=1.0");
  }

  private static SampleBatch batch(long t, Object... labelsAndValues) {
    SampleBatch b = new SampleBatch();
    for (int i = 0; i < labelsAndValues.length; i += 2) {
      b.add((Labels) labelsAndValues[i], t, ((Number) labelsAndValues[i + 1]).doubleValue());
    }
    return b;
  }

  private List<String> names(List<LabelMatcher> matchers) {
    return store.select(0, Long.MAX_VALUE, matchers).stream()
        .map(v -> v.labels().toString())
        .toList();
  }

  private List<String> read(Labels series, long min, long max) {
    return read(store, series, min, max);
  }

  private static List<String> read(SeriesStore s, Labels series, long min, long max) {
    List<LabelMatcher> matchers = new ArrayList<>();
    series.forEach((n, v) -> matchers.add(LabelMatcher.eq(n, v)));
    List<SeriesView> views = s.select(min, max, matchers);
    return views.isEmpty() ? List.of() : drain(views.get(0));
  }

  private static List<String> drain(SeriesView view) {
    List<String> out = new ArrayList<>();
    SampleIterator it = view.samples();
    while (it.next()) {
      out.add(it.timestamp() + "=" + it.value());
    }
    return out;
  }
}
