package io.raftwatch.collector.tsdb;

import java.util.List;

/**
 * Read access to stored series: what the PromQL engine and the HTTP API query.
 *
 * <p>Thread-safety: every method may be called from any thread, concurrently with appends and with
 * retention. Each call sees every sample whose append completed before the call started, and may or
 * may not see ones appended while it runs; a {@link SeriesView} it returns is a snapshot. Methods
 * never block on a scrape in progress for longer than it takes to copy one series' open chunk.
 */
public interface SeriesReader {
  /**
   * The series that match all {@code matchers} and have at least one sample with {@code
   * minTimeMillis <= timestamp <= maxTimeMillis} (both inclusive), sorted by {@link Labels}.
   *
   * <p>As in Prometheus: a matcher on a label the series lacks sees the value ""; an empty matcher
   * list selects every series. A staleness marker counts as a sample here; callers decide what it
   * means.
   *
   * @param matchers conditions that must all hold; not modified
   */
  List<SeriesView> select(long minTimeMillis, long maxTimeMillis, List<LabelMatcher> matchers);

  /**
   * The distinct label names of the series that match all {@code matchers} (every series when the
   * list is empty), sorted; for {@code /api/v1/labels}. Considers every series still stored,
   * whatever the time of its samples.
   */
  List<String> labelNames(List<LabelMatcher> matchers);

  /**
   * The distinct non-empty values of label {@code name} among the series that match all {@code
   * matchers} (every series when the list is empty), sorted; for {@code /api/v1/label/NAME/values}.
   */
  List<String> labelValues(String name, List<LabelMatcher> matchers);
}
