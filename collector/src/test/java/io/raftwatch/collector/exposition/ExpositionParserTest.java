package io.raftwatch.collector.exposition;

import static io.raftwatch.collector.exposition.ExpositionFormat.OPENMETRICS_TEXT;
import static io.raftwatch.collector.exposition.ExpositionFormat.PROMETHEUS_TEXT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.raftwatch.collector.tsdb.Labels;
import io.raftwatch.collector.tsdb.SampleBatch;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ExpositionParserTest {
  private final ExpositionParser parser = new ExpositionParser();

  @Test
  void readsTextFormatWithMetadataEscapesTimestampsAndSpecialValues() throws Exception {
    ParsedScrape scrape =
        parse(
            PROMETHEUS_TEXT,
            """
            # HELP http_requests_total Requests\\nserved, by "code" \\\\ path.
            # TYPE http_requests_total counter
            http_requests_total{code="200",path="/a\\"b\\\\c\\nd"} 1027 1395066363000
            http_requests_total{ code = "400" , } 3
            # A plain comment.

            temperature -Inf
            temperature_max{site="x"} +Inf -5
            ratio NaN
            big 1.7976931348623157e308
            """);

    assertThat(samples(scrape))
        .containsExactly(
            "http_requests_total{code=\"200\", path=\"/a\\\"b\\\\c\\nd\"} 1027.0 @1395066363000",
            "http_requests_total{code=\"400\"} 3.0",
            "temperature -Infinity",
            "temperature_max{site=\"x\"} Infinity @-5",
            "ratio NaN",
            "big 1.7976931348623157E308");
    assertThat(scrape.labels(0).get("path")).isEqualTo("/a\"b\\c\nd");
    assertThat(scrape.families())
        .first()
        .isEqualTo(
            new MetricFamily(
                "http_requests_total",
                MetricType.COUNTER,
                "Requests\nserved, by \"code\" \\ path.",
                "",
                2));
    assertThat(scrape.families())
        .extracting(MetricFamily::name)
        .containsExactly("http_requests_total", "temperature", "temperature_max", "ratio", "big");
  }

  @Test
  void groupsHistogramAndSummarySamplesUnderTheirFamily() throws Exception {
    ParsedScrape scrape =
        parse(
            PROMETHEUS_TEXT,
            """
            # TYPE rpc_seconds histogram
            rpc_seconds_bucket{le="0.1"} 1
            rpc_seconds_bucket{le="+Inf"} 2
            rpc_seconds_sum 0.3
            rpc_seconds_count 2
            # TYPE lat summary
            lat{quantile="0.5"} 0.2
            lat_sum 1
            lat_count 4
            """);

    assertThat(scrape.families())
        .containsExactly(
            new MetricFamily("rpc_seconds", MetricType.HISTOGRAM, "", "", 4),
            new MetricFamily("lat", MetricType.SUMMARY, "", "", 3));
  }

  @Test
  void readsOpenMetricsWithUnitsCreatedSecondsTimestampsAndExemplars() throws Exception {
    ParsedScrape scrape =
        parse(
            OPENMETRICS_TEXT,
            """
            # TYPE rpc_seconds histogram
            # UNIT rpc_seconds seconds
            # HELP rpc_seconds RPC \\"latency\\".
            rpc_seconds_bucket{le="0.1"} 1 # {trace_id="abc"} 0.05 1520879607.789
            rpc_seconds_bucket{le="+Inf"} 2
            rpc_seconds_sum 0.3
            rpc_seconds_count 2
            rpc_seconds_created 1520430000.123
            # TYPE puts counter
            puts_total 7 1520879607.5 # {} 1
            # EOF
            """);

    assertThat(scrape.families())
        .containsExactly(
            new MetricFamily("rpc_seconds", MetricType.HISTOGRAM, "RPC \"latency\".", "seconds", 5),
            new MetricFamily("puts", MetricType.COUNTER, "", "", 1));
    assertThat(samples(scrape)).last().isEqualTo("puts_total 7.0 @1520879607500");
  }

  @Test
  void openMetricsRequiresEofLastAndNothingAfterIt() {
    assertFails(OPENMETRICS_TEXT, "a 1\n", 2, "OpenMetrics body does not end with # EOF");
    assertFails(OPENMETRICS_TEXT, "# EOF\na 1\n", 2, "unexpected text after # EOF");
    assertFails(OPENMETRICS_TEXT, "a 1\n\n# EOF\n", 2, "blank line (OpenMetrics allows none)");
  }

  @Test
  void openMetricsKeepsFamiliesTogetherAndNamesFittingTheirType() {
    assertFails(
        OPENMETRICS_TEXT,
        "# TYPE a gauge\na 1\nb 2\na 3\n# EOF\n",
        4,
        "sample of a apart from the rest of its family");
    assertFails(
        OPENMETRICS_TEXT,
        "# TYPE c counter\nc 1\n# EOF\n",
        2,
        "sample c does not fit its family's type counter");
    assertFails(
        OPENMETRICS_TEXT,
        "# TYPE a_bytes gauge\n# UNIT a_bytes seconds\n# EOF\n",
        2,
        "unit \"seconds\" is not a suffix of the metric name a_bytes");
    assertFails(
        OPENMETRICS_TEXT,
        "# random comment\n# EOF\n",
        1,
        "expected # HELP, # TYPE, # UNIT or # EOF (OpenMetrics allows no other comments)");
  }

  @Test
  void malformedLinesNameTheLineAndQuoteIt() {
    assertFails(PROMETHEUS_TEXT, "ok 1\nup{job=\"a} 1\n", 2, "label value not closed with '\"'");
    assertFails(PROMETHEUS_TEXT, "up{job \"a\"} 1\n", 1, "expected '=' after label name job");
    assertFails(PROMETHEUS_TEXT, "up 1x\n", 1, "value \"1x\" is not a number");
    assertFails(
        PROMETHEUS_TEXT, "up 1 12.5\n", 1, "timestamp \"12.5\" is not an integer of milliseconds");
    assertFails(PROMETHEUS_TEXT, "up{a=\"1\",a=\"2\"} 1\n", 1, "duplicate label name a");
    assertFails(PROMETHEUS_TEXT, "up\n", 1, "expected a blank and a value after the series");
    assertFails(PROMETHEUS_TEXT, "up 1 2 3\n", 1, "unexpected text after the sample value");
    assertFails(PROMETHEUS_TEXT, "9up 1\n", 1, "expected a metric name");
    assertFails(PROMETHEUS_TEXT, "# TYPE x bogus\n", 1, "unknown metric type \"bogus\"");
    assertFails(PROMETHEUS_TEXT, "up 1d\n", 1, "value \"1d\" is not a number");
  }

  @Test
  void appliesPromtoolsMetadataRules() {
    assertFails(PROMETHEUS_TEXT, "# HELP a x\n# HELP a y\n", 2, "second HELP line for a");
    assertFails(PROMETHEUS_TEXT, "# TYPE a gauge\n# TYPE a gauge\n", 2, "second TYPE line for a");
    assertFails(PROMETHEUS_TEXT, "a 1\n# TYPE a gauge\n", 2, "TYPE line for a after its samples");
    assertFails(
        PROMETHEUS_TEXT,
        "# TYPE h histogram\nh_bucket 1\n",
        2,
        "histogram bucket without an le label");
    assertFails(
        PROMETHEUS_TEXT,
        "# TYPE h histogram\nh_bucket{le=\"x\"} 1\n",
        2,
        "histogram bucket's le label is not a number");
    assertFails(
        PROMETHEUS_TEXT, "# TYPE s summary\ns 1\n", 2, "summary sample without a quantile label");
  }

  @Test
  void reusesOneLabelsInstancePerSeriesAcrossScrapesAndAppliesTheTargetFunctionOnce()
      throws Exception {
    List<Labels> seen = new ArrayList<>();
    ExpositionParser targetParser =
        new ExpositionParser(
            l -> {
              seen.add(l);
              return l.toBuilder().set("instance", "m1").build();
            });

    ParsedScrape first = targetParser.parse(bytes("a{x=\"1\"} 1\nb 2\n"), PROMETHEUS_TEXT);
    ParsedScrape second = targetParser.parse(bytes("a{x=\"1\"} 5\nc 2\n"), PROMETHEUS_TEXT);

    assertThat(second.labels(0)).isSameAs(first.labels(0));
    assertThat(second.labels(0).toString()).isEqualTo("a{instance=\"m1\", x=\"1\"}");
    assertThat(seen).hasSize(3);
    assertThat(targetParser.cachedSeries()).isEqualTo(2); // b was dropped after the second scrape.
  }

  @Test
  void aFailedParseYieldsNothingAndTheNextOneWorks() throws Exception {
    assertThatThrownBy(() -> parser.parse(bytes("a 1\nb 2\nc{ 3\n"), PROMETHEUS_TEXT))
        .isInstanceOf(ExpositionFormatException.class);

    ParsedScrape ok = parser.parse(bytes("a 1\n"), PROMETHEUS_TEXT);
    SampleBatch batch = new SampleBatch();
    ok.addTo(batch, 42);

    assertThat(batch.size()).isEqualTo(1);
    assertThat(batch.timestamp(0)).isEqualTo(42);
  }

  @Test
  void valuesAreReadAsGoParseFloatReadsThem() throws Exception {
    String[] texts = {
      "0.1",
      "-0",
      "1e-7",
      "123456789012345678",
      "0x1p-2",
      "Inf",
      "-inf",
      "nan",
      "3.0000000000000004",
      "5e-324",
      ".5",
      "1.",
      "+2"
    };
    double[] expected = {
      0.1,
      -0.0,
      1e-7,
      123456789012345678d,
      0.25,
      Double.POSITIVE_INFINITY,
      Double.NEGATIVE_INFINITY,
      Double.NaN,
      3.0000000000000004,
      5e-324,
      0.5,
      1,
      2
    };
    StringBuilder body = new StringBuilder();
    for (int i = 0; i < texts.length; i++) {
      body.append("v").append(i).append(' ').append(texts[i]).append('\n');
    }

    ParsedScrape scrape = parser.parse(bytes(body.toString()), PROMETHEUS_TEXT);

    for (int i = 0; i < texts.length; i++) {
      assertThat(Double.doubleToLongBits(scrape.value(i)))
          .as(texts[i])
          .isEqualTo(Double.doubleToLongBits(expected[i]));
    }
  }

  private ParsedScrape parse(ExpositionFormat format, String body)
      throws ExpositionFormatException {
    return parser.parse(bytes(body), format);
  }

  private void assertFails(ExpositionFormat format, String body, int line, String reason) {
    assertThatThrownBy(() -> new ExpositionParser().parse(bytes(body), format))
        .as(body)
        .isInstanceOfSatisfying(
            ExpositionFormatException.class,
            e -> {
              assertThat(e.lineNumber()).isEqualTo(line);
              assertThat(e.reason()).isEqualTo(reason);
              assertThat(e.getMessage()).startsWith("line " + line + ": " + reason + ": ");
            });
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static List<String> samples(ParsedScrape scrape) {
    List<String> out = new ArrayList<>();
    for (int i = 0; i < scrape.size(); i++) {
      long t = scrape.timestamp(i);
      out.add(
          scrape.labels(i)
              + " "
              + scrape.value(i)
              + (t == ParsedScrape.NO_TIMESTAMP ? "" : " @" + t));
    }
    return out;
  }
}
