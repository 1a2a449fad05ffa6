package io.raftwatch.collector.tsdb;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * The threading contract: one scrape thread per target appends while a reader selects and a
 * retention job truncates. Readers must only ever see whole, ordered samples.
 */
class SeriesStoreConcurrencyTest {
  private static final int TARGETS = 3;
  private static final int SERIES_PER_TARGET = 40;
  private static final int SCRAPES = 1500;

  @Test
  void readersSeeOrderedConsistentSamplesWhileTargetsAppendAndRetentionRuns() throws Exception {
    SeriesStore store = new SeriesStore(TARGETS * SERIES_PER_TARGET);
    ExecutorService pool = Executors.newFixedThreadPool(TARGETS + 2);
    AtomicBoolean writing = new AtomicBoolean(true);
    try {
      List<Future<?>> writers = new ArrayList<>();
      for (int target = 0; target < TARGETS; target++) {
        int id = target;
        writers.add(pool.submit(() -> appendScrapes(store, id)));
      }
      Future<Integer> reader = pool.submit(() -> readUntil(store, writing));
      Future<?> retention =
          pool.submit(
              () -> {
                for (int i = 0; writing.get(); i++) {
                  // Drops old chunks; early on it drops whole series, which appends then recreate.
                  store.truncateBefore(i % 2 == 0 ? 0 : 200 * 15_000L);
                }
              });
      for (Future<?> w : writers) {
        w.get(60, TimeUnit.SECONDS);
      }
      writing.set(false);

      assertThat(reader.get(60, TimeUnit.SECONDS)).isPositive();
      retention.get(60, TimeUnit.SECONDS);
    } finally {
      pool.shutdownNow();
    }
    assertThat(store.stats().series()).isEqualTo(TARGETS * SERIES_PER_TARGET);
    assertThat(store.seriesCount("c")).isEqualTo(TARGETS * SERIES_PER_TARGET);
    assertThat(store.select(0, Long.MAX_VALUE, List.of(LabelMatcher.re("instance", "t.*"))))
        .hasSize(TARGETS * SERIES_PER_TARGET);
    SeriesView last = store.select(0, Long.MAX_VALUE, List.of()).get(0);
    SampleIterator it = last.samples();
    long lastTime = -1;
    while (it.next()) {
      lastTime = it.timestamp();
    }
    assertThat(lastTime).isEqualTo((SCRAPES - 1) * 15_000L);
  }

  private static Void appendScrapes(SeriesStore store, int target) throws Exception {
    List<Labels> series = new ArrayList<>();
    for (int s = 0; s < SERIES_PER_TARGET; s++) {
      series.add(Labels.of("__name__", "m" + s, "instance", "t" + target));
    }
    for (int k = 0; k < SCRAPES; k++) {
      SampleBatch batch = new SampleBatch(SERIES_PER_TARGET);
      for (Labels l : series) {
        batch.add(l, k * 15_000L, k); // The value tells which scrape wrote the sample.
      }
      assertThat(store.append("c", batch).samplesAppended()).isEqualTo(SERIES_PER_TARGET);
    }
    return null;
  }

  private static int readUntil(SeriesStore store, AtomicBoolean writing) {
    int checked = 0;
    while (writing.get() || checked == 0) {
      for (SeriesView view :
          store.select(0, Long.MAX_VALUE, List.of(LabelMatcher.re("__name__", "m1.*")))) {
        SampleIterator it = view.samples();
        long previous = -1;
        while (it.next()) {
          assertThat(it.timestamp()).isGreaterThan(previous);
          assertThat(it.value() * 15_000L).isEqualTo((double) it.timestamp());
          previous = it.timestamp();
          checked++;
        }
      }
    }
    return checked;
  }
}
