package io.raftwatch.collector.exposition;

import java.util.Locale;

/** The text formats {@link ExpositionParser} reads; chosen by the scraper from Content-Type. */
public enum ExpositionFormat {
  /** Prometheus text format 0.0.4: {@code text/plain; version=0.0.4}. */
  PROMETHEUS_TEXT("text/plain; version=0.0.4; charset=utf-8"),
  /** OpenMetrics 1.0.0 text: {@code application/openmetrics-text; version=1.0.0}. */
  OPENMETRICS_TEXT("application/openmetrics-text; version=1.0.0; charset=utf-8");

  private final String contentType;

  ExpositionFormat(String contentType) {
    this.contentType = contentType;
  }

  /** The Content-Type a server sends for this format. */
  public String contentType() {
    return contentType;
  }

  /**
   * The format a response's Content-Type announces: OpenMetrics for {@code
   * application/openmetrics-text}, the Prometheus text format for anything else (as Prometheus
   * falls back to it for a missing or unknown type).
   */
  public static ExpositionFormat fromContentType(String contentType) {
    if (contentType != null
        && contentType.toLowerCase(Locale.ROOT).startsWith("application/openmetrics-text")) {
      return OPENMETRICS_TEXT;
    }
    return PROMETHEUS_TEXT;
  }
}
