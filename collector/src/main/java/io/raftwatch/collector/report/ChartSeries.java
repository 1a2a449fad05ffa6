package io.raftwatch.collector.report;

import java.util.List;

/**
 * One member's line on a {@link Chart}: its points, oldest first, without gaps marked (a step
 * without a value is simply absent). Immutable.
 *
 * @param member the member's name
 * @param instance its {@code instance} label
 * @param points the points; values are finite
 */
public record ChartSeries(String member, String instance, List<Point> points) {
  public ChartSeries {
    points = List.copyOf(points);
  }

  /** One point: Unix time in milliseconds and a finite value. */
  public record Point(long t, double v) {}
}
