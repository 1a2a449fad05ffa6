package io.raftwatch.collector.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;

/** The SVG chart writer's axes and units, lines and gaps, on hand-made series. */
class SvgChartTest {
  private static final Instant FROM = Instant.parse("2026-11-24T10:00:00Z");
  private static final Instant TO = Instant.parse("2026-11-24T12:00:00Z");

  @Test
  void ticksAreOneTwoFiveSpacedAndCoverTheValues() {
    assertThat(SvgChart.ticks(0, 1)).containsExactly(0, 0.5, 1);
    assertThat(SvgChart.ticks(0, 7)).containsExactly(0, 2, 4, 6, 8);
    assertThat(SvgChart.ticks(0, 0)).containsExactly(0, 0.5, 1);
    assertThat(SvgChart.ticks(0, 3 * 1024 * 1024.0, "bytes"))
        .containsExactly(0, 1024 * 1024.0, 2 * 1024 * 1024.0, 3 * 1024 * 1024.0);
    assertThat(SvgChart.ticks(0, 0.0123)).containsExactly(0, 0.005, 0.01, 0.015);
  }

  @Test
  void yAxisIsLabelledInTheChartsUnitAndTimeInUtc() throws Exception {
    Chart chart = new Chart("db_size", "Database size", "bytes", "q", List.of(
        series("m1", 0, 3 * 1024 * 1024.0)));
    Document svg = ReportRenderingTest.parseXml(SvgChart.render(chart, FROM, TO));

    List<String> labels = texts(svg, "//*[local-name()='text'][@text-anchor='end']");
    assertThat(labels).contains("0 B", "1 MiB", "2 MiB", "3 MiB", "UTC");
    assertThat(texts(svg, "//*[local-name()='text'][@text-anchor='middle']"))
        .containsExactly("10:00", "10:30", "11:00", "11:30", "12:00");
  }

  @Test
  void aMissingStepBreaksTheLineAndAnEmptyChartSaysSo() throws Exception {
    long t0 = FROM.toEpochMilli();
    ChartSeries gappy = new ChartSeries("m1", "i1", List.of(
        new ChartSeries.Point(t0, 1), new ChartSeries.Point(t0 + 60_000, 2),
        new ChartSeries.Point(t0 + 600_000, 3), new ChartSeries.Point(t0 + 660_000, 4),
        new ChartSeries.Point(t0 + 1_800_000, 5)));
    Document svg = ReportRenderingTest.parseXml(SvgChart.render(
        new Chart("c", "C", "count", "q", List.of(gappy)), FROM, TO));
    assertThat(ReportRenderingTest.count(svg, "//*[local-name()='polyline']")).isEqualTo(2);
    assertThat(ReportRenderingTest.count(svg, "//*[local-name()='circle']")).isEqualTo(1);

    Document empty = ReportRenderingTest.parseXml(SvgChart.render(
        new Chart("c", "C", "seconds", "q", List.of()), FROM, TO));
    assertThat(ReportRenderingTest.text(empty, "//*[local-name()='text'][@fill='#666'][last()]"))
        .isEqualTo("no data in this window");
  }

  private static ChartSeries series(String member, double first, double last) {
    return new ChartSeries(member, "i", List.of(new ChartSeries.Point(FROM.toEpochMilli(), first),
        new ChartSeries.Point(TO.toEpochMilli(), last)));
  }

  private static List<String> texts(Document doc, String xpath) throws Exception {
    var nodes = ReportRenderingTest.nodes(doc, xpath);
    List<String> out = new java.util.ArrayList<>();
    for (int i = 0; i < nodes.getLength(); i++) {
      out.add(nodes.item(i).getTextContent());
    }
    return out;
  }
}
