package io.raftwatch.collector.report;

import java.util.List;

/**
 * One chart of a report: a PromQL range query's series, one line per member. Immutable.
 *
 * @param id a stable identifier, e.g. {@code wal_fsync_p99}
 * @param title for people
 * @param unit how to read the values: "seconds", "bytes" or "count"
 * @param query the PromQL it plots
 * @param series one per member, by member name
 */
public record Chart(String id, String title, String unit, String query, List<ChartSeries> series) {
  public Chart {
    series = List.copyOf(series);
  }
}
