package io.raftwatch.collector.exposition;

import java.util.Optional;

/** A metric family's type as a TYPE line declares it, or {@link #UNTYPED} without one. */
public enum MetricType {
  COUNTER("counter"),
  GAUGE("gauge"),
  HISTOGRAM("histogram"),
  SUMMARY("summary"),
  /** OpenMetrics only. */
  GAUGE_HISTOGRAM("gaugehistogram"),
  /** OpenMetrics only. */
  INFO("info"),
  /** OpenMetrics only. */
  STATESET("stateset"),
  /** No TYPE line, "untyped" in the Prometheus text format or "unknown" in OpenMetrics. */
  UNTYPED("untyped");

  private final String text;

  MetricType(String text) {
    this.text = text;
  }

  /** The word a TYPE line uses. */
  public String text() {
    return text;
  }

  /** The type a TYPE line names in {@code format}, or empty when the word is not one. */
  static Optional<MetricType> parse(String word, ExpositionFormat format) {
    boolean om = format == ExpositionFormat.OPENMETRICS_TEXT;
    return Optional.ofNullable(
        switch (word) {
          case "counter" -> COUNTER;
          case "gauge" -> GAUGE;
          case "histogram" -> HISTOGRAM;
          case "summary" -> SUMMARY;
          case "untyped" -> om ? null : UNTYPED;
          case "unknown" -> om ? UNTYPED : null;
          case "gaugehistogram" -> om ? GAUGE_HISTOGRAM : null;
          case "info" -> om ? INFO : null;
          case "stateset" -> om ? STATESET : null;
          default -> null;
        });
  }

  /**
   * Whether a sample named {@code sampleName}, whose first {@code familyLength} characters are the
   * family name, belongs to a family of this type in {@code format}: {@code _bucket} for
   * histograms, {@code _total} for OpenMetrics counters, and so on.
   */
  boolean allowsSample(String sampleName, int familyLength, ExpositionFormat format) {
    boolean om = format == ExpositionFormat.OPENMETRICS_TEXT;
    int suffixLength = sampleName.length() - familyLength;
    if (suffixLength == 0) {
      return this == GAUGE
          || this == STATESET
          || this == UNTYPED
          || this == SUMMARY
          || (this == COUNTER && !om);
    }
    return switch (this) {
      case COUNTER ->
          om
              && (is(sampleName, suffixLength, "_total")
                  || is(sampleName, suffixLength, "_created"));
      case HISTOGRAM ->
          is(sampleName, suffixLength, "_bucket")
              || is(sampleName, suffixLength, "_sum")
              || is(sampleName, suffixLength, "_count")
              || (om && is(sampleName, suffixLength, "_created"));
      case SUMMARY ->
          is(sampleName, suffixLength, "_sum")
              || is(sampleName, suffixLength, "_count")
              || (om && is(sampleName, suffixLength, "_created"));
      case GAUGE_HISTOGRAM ->
          is(sampleName, suffixLength, "_bucket")
              || is(sampleName, suffixLength, "_gsum")
              || is(sampleName, suffixLength, "_gcount");
      case INFO -> is(sampleName, suffixLength, "_info");
      case GAUGE, STATESET, UNTYPED -> false;
    };
  }

  private static boolean is(String sampleName, int suffixLength, String suffix) {
    return suffixLength == suffix.length() && sampleName.endsWith(suffix);
  }
}
