package io.raftwatch.collector.report;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Draws a {@link Chart} as a small self-contained SVG: a y axis with "nice" ticks labelled in the
 * chart's unit, a time axis in UTC, one polyline per member (broken where points are missing), and
 * a legend. Every text it writes is XML-escaped, so member names and titles cannot inject markup.
 * Stateless; any thread.
 */
public final class SvgChart {
  static final int WIDTH = 640;
  static final int HEIGHT = 260;
  private static final int LEFT = 70;
  private static final int RIGHT = 16;
  private static final int TOP = 28;
  private static final int PLOT_HEIGHT = 150;
  private static final String[] COLORS =
      {"#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2", "#17becf"};

  private SvgChart() {}

  /** The chart over {@code from}..{@code to} as an {@code <svg>} element. */
  public static String render(Chart chart, Instant from, Instant to) {
    long t0 = from.toEpochMilli();
    long t1 = Math.max(to.toEpochMilli(), t0 + 1);
    double min = 0;
    double max = 0;
    boolean any = false;
    for (ChartSeries s : chart.series()) {
      for (ChartSeries.Point p : s.points()) {
        min = any ? Math.min(min, p.v()) : Math.min(0, p.v());
        max = any ? Math.max(max, p.v()) : p.v();
        any = true;
      }
    }
    double[] ticks = ticks(min, max, chart.unit());
    double lo = ticks[0];
    double hi = ticks[ticks.length - 1];
    int plotWidth = WIDTH - LEFT - RIGHT;
    StringBuilder svg = new StringBuilder();
    svg.append("<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\" width=\"").append(WIDTH)
        .append("\" height=\"").append(HEIGHT).append("\" viewBox=\"0 0 ").append(WIDTH).append(' ')
        .append(HEIGHT).append("\" role=\"img\" aria-label=\"").append(escape(chart.title()))
        .append("\" data-chart=\"").append(escape(chart.id())).append("\">\n");
    svg.append("<title>").append(escape(chart.title())).append("</title>\n");
    svg.append("<text x=\"").append(LEFT).append("\" y=\"16\" font-size=\"13\" font-weight=\"bold\">")
        .append(escape(chart.title())).append(" (").append(escape(chart.unit())).append(")</text>\n");
    // Y axis: grid lines and labels.
    for (double tick : ticks) {
      double y = TOP + PLOT_HEIGHT - (tick - lo) / (hi - lo) * PLOT_HEIGHT;
      svg.append("<line x1=\"").append(LEFT).append("\" x2=\"").append(LEFT + plotWidth)
          .append("\" y1=\"").append(fmt(y)).append("\" y2=\"").append(fmt(y))
          .append("\" stroke=\"#ddd\"/>\n");
      svg.append("<text x=\"").append(LEFT - 6).append("\" y=\"").append(fmt(y + 4))
          .append("\" font-size=\"11\" text-anchor=\"end\">")
          .append(escape(Units.format(tick, chart.unit()))).append("</text>\n");
    }
    // Time axis.
    int y0 = TOP + PLOT_HEIGHT;
    svg.append("<line x1=\"").append(LEFT).append("\" x2=\"").append(LEFT + plotWidth)
        .append("\" y1=\"").append(y0).append("\" y2=\"").append(y0).append("\" stroke=\"#333\"/>\n");
    svg.append("<line x1=\"").append(LEFT).append("\" x2=\"").append(LEFT).append("\" y1=\"")
        .append(TOP).append("\" y2=\"").append(y0).append("\" stroke=\"#333\"/>\n");
    DateTimeFormatter label = DateTimeFormatter.ofPattern(
        t1 - t0 > 2 * 86_400_000L ? "MM-dd HH:mm" : t1 - t0 > 600_000 ? "HH:mm" : "HH:mm:ss",
        Locale.ROOT).withZone(ZoneOffset.UTC);
    for (int i = 0; i <= 4; i++) {
      long t = t0 + (t1 - t0) * i / 4;
      double x = LEFT + (double) plotWidth * i / 4;
      svg.append("<line x1=\"").append(fmt(x)).append("\" x2=\"").append(fmt(x)).append("\" y1=\"")
          .append(y0).append("\" y2=\"").append(y0 + 4).append("\" stroke=\"#333\"/>\n");
      svg.append("<text x=\"").append(fmt(x)).append("\" y=\"").append(y0 + 16)
          .append("\" font-size=\"11\" text-anchor=\"middle\">")
          .append(escape(label.format(Instant.ofEpochMilli(t)))).append("</text>\n");
    }
    svg.append("<text x=\"").append(LEFT + plotWidth).append("\" y=\"").append(y0 + 30)
        .append("\" font-size=\"10\" text-anchor=\"end\" fill=\"#666\">UTC</text>\n");
    if (!any) {
      svg.append("<text x=\"").append(LEFT + plotWidth / 2).append("\" y=\"")
          .append(TOP + PLOT_HEIGHT / 2).append("\" font-size=\"12\" text-anchor=\"middle\" "
              + "fill=\"#666\">no data in this window</text>\n");
    }
    // One line per member, broken where a step has no value.
    for (int i = 0; i < chart.series().size(); i++) {
      ChartSeries s = chart.series().get(i);
      String color = COLORS[i % COLORS.length];
      for (List<ChartSeries.Point> run : runs(s.points())) {
        StringBuilder pts = new StringBuilder();
        for (ChartSeries.Point p : run) {
          double x = LEFT + (double) (p.t() - t0) / (t1 - t0) * plotWidth;
          double y = TOP + PLOT_HEIGHT - (p.v() - lo) / (hi - lo) * PLOT_HEIGHT;
          pts.append(pts.isEmpty() ? "" : " ").append(fmt(x)).append(',').append(fmt(y));
        }
        String shape = run.size() == 1 ? "circle" : "polyline";
        if (run.size() == 1) {
          String[] xy = pts.toString().split(",");
          svg.append("<circle cx=\"").append(xy[0]).append("\" cy=\"").append(xy[1])
              .append("\" r=\"2\" fill=\"").append(color);
        } else {
          svg.append("<polyline fill=\"none\" stroke-width=\"1.5\" stroke=\"").append(color)
              .append("\" points=\"").append(pts);
        }
        svg.append("\" data-member=\"").append(escape(s.member())).append("\" class=\"")
            .append(shape).append("\"/>\n");
      }
    }
    // Legend under the time axis.
    int legendY = y0 + 48;
    int x = LEFT;
    for (int i = 0; i < chart.series().size(); i++) {
      String name = chart.series().get(i).member();
      svg.append("<rect x=\"").append(x).append("\" y=\"").append(legendY - 9)
          .append("\" width=\"10\" height=\"10\" fill=\"").append(COLORS[i % COLORS.length])
          .append("\"/>\n");
      svg.append("<text x=\"").append(x + 14).append("\" y=\"").append(legendY)
          .append("\" font-size=\"11\" class=\"legend\">").append(escape(name)).append("</text>\n");
      x += 24 + 7 * Math.min(name.length(), 40);
      if (x > WIDTH - 100) {
        x = LEFT;
        legendY += 16;
      }
    }
    svg.append("</svg>");
    return svg.toString();
  }

  /**
   * Y ticks for values in {@code unit}: bytes on 1-2-5 multiples of KiB, MiB or GiB, so that the
   * labels read 1 MiB rather than 977 KiB.
   */
  static double[] ticks(double min, double max, String unit) {
    if (!unit.equals(Units.BYTES) || Math.max(Math.abs(min), Math.abs(max)) < 1024) {
      return ticks(min, max);
    }
    double scale = Math.pow(1024, Math.floor(Math.log(Math.max(Math.abs(min), Math.abs(max))) / Math.log(1024)));
    double[] t = ticks(min / scale, max / scale);
    for (int i = 0; i < t.length; i++) {
      t[i] *= scale;
    }
    return t;
  }

  /** Y ticks from at most {@code min} to at least {@code max}, 1-2-5 spaced, about five. */
  static double[] ticks(double min, double max) {
    if (max <= min) {
      max = min + (min == 0 ? 1 : Math.abs(min));
    }
    double raw = (max - min) / 4;
    double magnitude = Math.pow(10, Math.floor(Math.log10(raw)));
    double step = magnitude;
    for (double m : new double[] {1, 2, 5, 10}) {
      if (m * magnitude >= raw) {
        step = m * magnitude;
        break;
      }
    }
    double start = Math.floor(min / step) * step;
    List<Double> out = new ArrayList<>();
    // The last tick is the first at or above max, so every value is inside the axis.
    for (double t = start; ; t += step) {
      out.add(Math.abs(t) < step * 1e-9 ? 0 : t);
      if (out.size() >= 2 && t >= max - step * 1e-9) {
        break;
      }
    }
    return out.stream().mapToDouble(Double::doubleValue).toArray();
  }

  /** Splits points into runs without gaps: a gap is longer than twice the shortest interval. */
  private static List<List<ChartSeries.Point>> runs(List<ChartSeries.Point> points) {
    long shortest = Long.MAX_VALUE;
    for (int i = 1; i < points.size(); i++) {
      shortest = Math.min(shortest, points.get(i).t() - points.get(i - 1).t());
    }
    List<List<ChartSeries.Point>> runs = new ArrayList<>();
    List<ChartSeries.Point> run = new ArrayList<>();
    for (ChartSeries.Point p : points) {
      if (!run.isEmpty() && p.t() - run.get(run.size() - 1).t() > 2 * shortest) {
        runs.add(run);
        run = new ArrayList<>();
      }
      run.add(p);
    }
    if (!run.isEmpty()) {
      runs.add(run);
    }
    return runs;
  }

  private static String fmt(double v) {
    return String.format(Locale.ROOT, "%.1f", v);
  }

  /** Escapes text for XML content and attribute values. */
  static String escape(String s) {
    StringBuilder out = new StringBuilder(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '<' -> out.append("&lt;");
        case '>' -> out.append("&gt;");
        case '&' -> out.append("&amp;");
        case '"' -> out.append("&quot;");
        case '\'' -> out.append("&#39;");
        default -> {
          // Control characters are not allowed in XML 1.0; drop them.
          if (c >= 0x20 || c == '\t' || c == '\n' || c == '\r') {
            out.append(c);
          }
        }
      }
    }
    return out.toString();
  }
}
