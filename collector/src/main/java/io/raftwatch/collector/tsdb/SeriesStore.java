package io.raftwatch.collector.tsdb;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The collector's in-memory time-series store: Gorilla-compressed chunks per series, an inverted
 * index from label pair to series, retention, and a cap on the series count per cluster.
 *
 * <p>Threads: {@link #append} is called by each target's scrape thread (several at once, one per
 * target; two threads appending to the same series is safe, but a sample older than the series'
 * latest is then dropped as out of order); the {@link SeriesReader} methods by rule evaluation and
 * the API at any time; {@link #truncateBefore} by the retention job. Nothing here blocks for longer
 * than one series' open chunk takes to copy, and no method performs I/O.
 */
public final class SeriesStore implements SeriesReader {
  /** Default time samples are kept, as the issue asks. */
  public static final Duration DEFAULT_RETENTION = Duration.ofHours(6);

  private final int maxSeriesPerCluster;
  private final Duration retention;
  private final ConcurrentHashMap<Labels, MemSeries> series = new ConcurrentHashMap<>();
  // Inverted index: label name -> label value -> series having that pair.
  private final ConcurrentHashMap<String, ConcurrentHashMap<String, Set<MemSeries>>> postings =
      new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, int[]> seriesPerCluster = new ConcurrentHashMap<>();

  /**
   * A store that keeps samples for {@code retention} (enforced by {@link #applyRetention}) and
   * refuses batches that would give one cluster more than {@code maxSeriesPerCluster} series.
   */
  public SeriesStore(int maxSeriesPerCluster, Duration retention) {
    if (maxSeriesPerCluster <= 0) {
      throw new IllegalArgumentException("maxSeriesPerCluster must be positive");
    }
    if (retention.isNegative() || retention.isZero()) {
      throw new IllegalArgumentException("retention must be positive, got " + retention);
    }
    this.maxSeriesPerCluster = maxSeriesPerCluster;
    this.retention = retention;
  }

  /** A store with the {@link #DEFAULT_RETENTION}. */
  public SeriesStore(int maxSeriesPerCluster) {
    this(maxSeriesPerCluster, DEFAULT_RETENTION);
  }

  /**
   * Appends a batch for {@code cluster}: either every new series the batch needs fits under the
   * cluster's limit and the batch is applied, or nothing is applied and {@link
   * SeriesLimitExceededException} says so. Within an applied batch, a sample not later than its
   * series' last one is dropped and counted (out of order or duplicate), as Prometheus does.
   *
   * <p>Timestamps are milliseconds and must be real ones (the scraper replaces a missing exposition
   * timestamp with the scrape time before it builds the batch).
   *
   * @param cluster the name the limit is counted under and that the error names
   */
  public AppendResult append(String cluster, SampleBatch batch)
      throws SeriesLimitExceededException {
    int n = batch.size();
    MemSeries[] refs = new MemSeries[n];
    List<Labels> missing = null;
    for (int i = 0; i < n; i++) {
      refs[i] = series.get(batch.labels(i));
      if (refs[i] == null) {
        if (missing == null) {
          missing = new ArrayList<>();
        }
        missing.add(batch.labels(i));
      }
    }
    int added = 0;
    if (missing != null) {
      added = createAll(cluster, missing);
      for (int i = 0; i < n; i++) {
        if (refs[i] == null) {
          refs[i] = series.get(batch.labels(i));
        }
      }
    }
    int appended = 0;
    int outOfOrder = 0;
    int duplicates = 0;
    for (int i = 0; i < n; i++) {
      MemSeries.Outcome outcome = refs[i].append(batch.timestamp(i), batch.value(i));
      if (outcome == MemSeries.Outcome.REMOVED) {
        // Retention dropped the series since we looked it up; it comes back as a new one, even if
        // another target of the cluster took its slot meanwhile (then one past the limit).
        refs[i] = recreate(refs[i]);
        added++;
        outcome = refs[i].append(batch.timestamp(i), batch.value(i));
      }
      switch (outcome) {
        case APPENDED -> appended++;
        case OUT_OF_ORDER -> outOfOrder++;
        case DUPLICATE -> duplicates++;
        case REMOVED -> throw new IllegalStateException("series removed twice during one append");
      }
    }
    return new AppendResult(appended, added, outOfOrder, duplicates);
  }

  private int createAll(String cluster, List<Labels> missing) throws SeriesLimitExceededException {
    int[] count = seriesPerCluster.computeIfAbsent(cluster, c -> new int[1]);
    synchronized (count) {
      Set<Labels> toCreate = new HashSet<>();
      for (Labels l : missing) {
        if (!series.containsKey(l)) {
          toCreate.add(l);
        }
      }
      if (count[0] + toCreate.size() > maxSeriesPerCluster) {
        throw new SeriesLimitExceededException(cluster, maxSeriesPerCluster);
      }
      int created = 0;
      for (Labels l : toCreate) {
        MemSeries s = new MemSeries(l, cluster);
        if (series.putIfAbsent(l, s) == null) {
          index(s);
          created++;
        }
      }
      count[0] += created;
      return created;
    }
  }

  private MemSeries recreate(MemSeries old) {
    int[] count = seriesPerCluster.computeIfAbsent(old.cluster, c -> new int[1]);
    synchronized (count) {
      MemSeries fresh = new MemSeries(old.labels, old.cluster);
      boolean[] replacedOld = {false};
      MemSeries now =
          series.compute(
              old.labels,
              (k, v) -> {
                replacedOld[0] = v == old;
                return v == null || v == old ? fresh : v;
              });
      if (now == fresh) {
        // NB: when we replaced the old series, truncateBefore's remove will miss it, so its
        // index entries and its slot in the count pass to the new one here.
        if (replacedOld[0]) {
          unindex(old);
        } else {
          count[0]++;
        }
        index(fresh);
      }
      return now;
    }
  }

  // Index changes take the postings lock so that removing an emptied value set cannot race with
  // adding a series to it; lookups read the concurrent maps without it.
  private void index(MemSeries s) {
    synchronized (postings) {
      s.labels.forEach(
          (name, value) ->
              postings
                  .computeIfAbsent(name, k -> new ConcurrentHashMap<>())
                  .computeIfAbsent(value, k -> ConcurrentHashMap.newKeySet())
                  .add(s));
    }
  }

  private void unindex(MemSeries s) {
    synchronized (postings) {
      s.labels.forEach(
          (name, value) -> {
            Map<String, Set<MemSeries>> values = postings.get(name);
            Set<MemSeries> set = values == null ? null : values.get(value);
            if (set != null) {
              set.remove(s);
              if (set.isEmpty()) {
                values.remove(value);
              }
            }
          });
    }
  }

  /**
   * Drops samples older than {@code timeMillis}, a chunk at a time (a chunk that also holds newer
   * samples stays whole), and forgets series left without samples. Called by the retention job.
   */
  public void truncateBefore(long timeMillis) {
    for (MemSeries s : series.values()) {
      if (s.truncateBefore(timeMillis)) {
        // Under the cluster's lock, so that appends see the series, its index entries and the
        // count change together.
        int[] count = seriesPerCluster.get(s.cluster);
        synchronized (count) {
          if (series.remove(s.labels, s)) {
            unindex(s);
            count[0]--;
          }
        }
      }
    }
  }

  /** {@link #truncateBefore} at {@code nowMillis} minus the retention. */
  public void applyRetention(long nowMillis) {
    truncateBefore(nowMillis - retention.toMillis());
  }

  /** How long samples are kept. */
  public Duration retention() {
    return retention;
  }

  /**
   * The stored instance of {@code labels} when such a series exists, else {@code labels} itself;
   * lets callers keep one instance per series.
   */
  public Labels intern(Labels labels) {
    MemSeries s = series.get(labels);
    return s == null ? labels : s.labels;
  }

  /** The number of series a cluster has in the store now. */
  public int seriesCount(String cluster) {
    int[] count = seriesPerCluster.get(cluster);
    if (count == null) {
      return 0;
    }
    synchronized (count) {
      return count[0];
    }
  }

  /** Sizes of the store now; walks every series, so call it for reports, not per sample. */
  public StoreStats stats() {
    long[] totals = new long[2];
    int n = 0;
    for (MemSeries s : series.values()) {
      s.addStats(totals);
      n++;
    }
    return new StoreStats(n, totals[0], totals[1]);
  }

  @Override
  public List<SeriesView> select(
      long minTimeMillis, long maxTimeMillis, List<LabelMatcher> matchers) {
    List<SeriesView> out = new ArrayList<>();
    for (MemSeries s : candidates(matchers)) {
      if (matchesAll(s.labels, matchers)) {
        List<SealedChunk> chunks = s.chunks(minTimeMillis, maxTimeMillis);
        ChunkSeriesView view = new ChunkSeriesView(s.labels, chunks, minTimeMillis, maxTimeMillis);
        if (view.hasSamples()) {
          out.add(view);
        }
      }
    }
    out.sort((a, b) -> a.labels().compareTo(b.labels()));
    return out;
  }

  @Override
  public List<String> labelNames(List<LabelMatcher> matchers) {
    TreeSet<String> names = new TreeSet<>();
    for (MemSeries s : candidates(matchers)) {
      if (matchesAll(s.labels, matchers)) {
        s.labels.forEach((name, value) -> names.add(name));
      }
    }
    return List.copyOf(names);
  }

  @Override
  public List<String> labelValues(String name, List<LabelMatcher> matchers) {
    TreeSet<String> values = new TreeSet<>();
    for (MemSeries s : candidates(matchers)) {
      if (matchesAll(s.labels, matchers) && s.labels.has(name)) {
        values.add(s.labels.get(name));
      }
    }
    return List.copyOf(values);
  }

  private static boolean matchesAll(Labels labels, List<LabelMatcher> matchers) {
    for (LabelMatcher m : matchers) {
      if (!m.matches(labels)) {
        return false;
      }
    }
    return true;
  }

  /**
   * A superset of the series matching {@code matchers}: the smallest postings union among the
   * matchers that require their label to be present, or every series when none does.
   */
  private Collection<MemSeries> candidates(List<LabelMatcher> matchers) {
    Collection<MemSeries> best = null;
    for (LabelMatcher m : matchers) {
      if (m.matchesEmpty()) {
        continue; // Series without the label match too, so the index cannot narrow this one.
      }
      Collection<MemSeries> c = postingsFor(m);
      if (best == null || c.size() < best.size()) {
        best = c;
      }
    }
    return best != null ? best : series.values();
  }

  private Collection<MemSeries> postingsFor(LabelMatcher m) {
    Map<String, Set<MemSeries>> values = postings.get(m.name());
    if (values == null) {
      return List.of();
    }
    if (m.type() == LabelMatcher.Type.EQ) {
      Set<MemSeries> set = values.get(m.value());
      return set == null ? List.of() : set;
    }
    Map<MemSeries, Boolean> union = new HashMap<>();
    for (Map.Entry<String, Set<MemSeries>> e : values.entrySet()) {
      if (m.matches(e.getKey())) {
        for (MemSeries s : e.getValue()) {
          union.put(s, Boolean.TRUE);
        }
      }
    }
    return union.keySet();
  }
}
