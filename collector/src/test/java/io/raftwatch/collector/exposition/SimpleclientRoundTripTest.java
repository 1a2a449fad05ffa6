package io.raftwatch.collector.exposition;

import static org.assertj.core.api.Assertions.assertThat;

import io.prometheus.client.Collector.MetricFamilySamples;
import io.prometheus.client.CollectorRegistry;
import io.prometheus.client.Counter;
import io.prometheus.client.Gauge;
import io.prometheus.client.Histogram;
import io.prometheus.client.Info;
import io.prometheus.client.Summary;
import io.prometheus.client.exporter.common.TextFormat;
import io.raftwatch.collector.tsdb.Labels;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Writes a registry with simpleclient's own writers (text 0.0.4 and OpenMetrics 1.0) and parses the
 * output back: every sample and every family must come back equal.
 */
class SimpleclientRoundTripTest {
  private final CollectorRegistry registry = new CollectorRegistry();

  @BeforeEach
  void fillRegistry() {
    Counter requests =
        Counter.build("requests", "Requests \"served\"\\ by\nthis.")
            .labelNames("path", "code")
            .register(registry);
    requests.labels("/a\"quoted\"", "200").inc(1027);
    requests.labels("C:\\dir\\", "500").inc(3);
    requests.labels("line\nbreak", "").inc();
    requests.labels("ünïcødé ✓", "404").inc(0.5);

    Gauge temperature = Gauge.build("temperature_celsius", "Temperature.").register(registry);
    temperature.set(-12.25);
    Gauge special = Gauge.build("special", "Special values.").labelNames("kind").register(registry);
    special.labels("nan").set(Double.NaN);
    special.labels("pinf").set(Double.POSITIVE_INFINITY);
    special.labels("ninf").set(Double.NEGATIVE_INFINITY);
    special.labels("tiny").set(4.9e-324);
    special.labels("negzero").set(-0.0);

    Histogram latency =
        Histogram.build("rpc_duration_seconds", "RPC latency.")
            .labelNames("method")
            .buckets(0.001, 0.01, 0.1, 1)
            .register(registry);
    for (double v : new double[] {0.0005, 0.02, 0.5, 3}) {
      latency.labels("Put").observe(v);
    }
    latency.labels("Range").observe(0.005);

    Summary size =
        Summary.build("request_size_bytes", "Request size.")
            .quantile(0.5, 0.05)
            .quantile(0.99, 0.001)
            .register(registry);
    for (int i = 1; i <= 100; i++) {
      size.observe(i);
    }

    Info.build("build", "Build information.").register(registry).info("version", "3.4.23");
  }

  @Test
  void textFormatRoundTrips() throws Exception {
    StringWriter out = new StringWriter();
    TextFormat.write004(out, registry.metricFamilySamples());

    ParsedScrape scrape = parse(out.toString(), ExpositionFormat.PROMETHEUS_TEXT);

    assertThat(samples(scrape)).isEqualTo(registrySamples()).hasSizeGreaterThan(20);
    Map<String, MetricType> types = types(scrape);
    assertThat(types)
        .containsEntry("rpc_duration_seconds", MetricType.HISTOGRAM)
        .containsEntry("request_size_bytes", MetricType.SUMMARY)
        .containsEntry("requests_total", MetricType.COUNTER)
        .containsEntry("temperature_celsius", MetricType.GAUGE);
    assertThat(helpOf(scrape, "requests_total")).isEqualTo("Requests \"served\"\\ by\nthis.");
  }

  @Test
  void openMetricsRoundTrips() throws Exception {
    StringWriter out = new StringWriter();
    TextFormat.writeOpenMetrics100(out, registry.metricFamilySamples());

    ParsedScrape scrape = parse(out.toString(), ExpositionFormat.OPENMETRICS_TEXT);

    assertThat(samples(scrape)).isEqualTo(registrySamples());
    Map<String, MetricType> types = types(scrape);
    assertThat(types)
        .containsEntry("requests", MetricType.COUNTER)
        .containsEntry("rpc_duration_seconds", MetricType.HISTOGRAM)
        .containsEntry("request_size_bytes", MetricType.SUMMARY)
        .containsEntry("build", MetricType.INFO)
        .containsEntry("temperature_celsius", MetricType.GAUGE);
    for (MetricFamilySamples family : Collections.list(registry.metricFamilySamples())) {
      assertThat(helpOf(scrape, family.name)).as(family.name).isEqualTo(family.help);
    }
  }

  private static ParsedScrape parse(String text, ExpositionFormat format)
      throws ExpositionFormatException {
    return new ExpositionParser().parse(text.getBytes(StandardCharsets.UTF_8), format);
  }

  private Map<Labels, Long> registrySamples() {
    Map<Labels, Long> out = new HashMap<>();
    for (MetricFamilySamples family : Collections.list(registry.metricFamilySamples())) {
      for (MetricFamilySamples.Sample s : family.samples) {
        Labels.Builder b = Labels.builder().set(Labels.METRIC_NAME, s.name);
        for (int i = 0; i < s.labelNames.size(); i++) {
          b.set(s.labelNames.get(i), s.labelValues.get(i));
        }
        out.put(b.build(), Double.doubleToRawLongBits(s.value));
      }
    }
    return out;
  }

  private static Map<Labels, Long> samples(ParsedScrape scrape) {
    Map<Labels, Long> out = new HashMap<>();
    for (int i = 0; i < scrape.size(); i++) {
      assertThat(out.put(scrape.labels(i), Double.doubleToRawLongBits(scrape.value(i))))
          .as("duplicate " + scrape.labels(i))
          .isNull();
    }
    return out;
  }

  private static Map<String, MetricType> types(ParsedScrape scrape) {
    Map<String, MetricType> out = new HashMap<>();
    scrape.families().forEach(f -> out.put(f.name(), f.type()));
    return out;
  }

  private static String helpOf(ParsedScrape scrape, String family) {
    return scrape.families().stream()
        .filter(f -> f.name().equals(family))
        .findFirst()
        .orElseThrow()
        .help();
  }
}
