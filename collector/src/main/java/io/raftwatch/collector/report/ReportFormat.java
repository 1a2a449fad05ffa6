package io.raftwatch.collector.report;

import java.util.Locale;

/** The forms a report is rendered in, with their file extension and media type. */
public enum ReportFormat {
  HTML("html", "text/html; charset=utf-8"),
  MARKDOWN("md", "text/markdown; charset=utf-8"),
  JSON("json", "application/json");

  private final String extension;
  private final String mediaType;

  ReportFormat(String extension, String mediaType) {
    this.extension = extension;
    this.mediaType = mediaType;
  }

  /** The file extension without the dot: html, md, json. */
  public String extension() {
    return extension;
  }

  /** The HTTP Content-Type to serve it with. */
  public String mediaType() {
    return mediaType;
  }

  /**
   * The format named {@code name}: html, md (or markdown), json; case-insensitive.
   *
   * @throws IllegalArgumentException naming the accepted values
   */
  public static ReportFormat parse(String name) {
    String n = name.toLowerCase(Locale.ROOT);
    for (ReportFormat f : values()) {
      if (f.extension.equals(n) || f.name().toLowerCase(Locale.ROOT).equals(n)) {
        return f;
      }
    }
    throw new IllegalArgumentException("unknown report format '" + name + "'; use html, md or json");
  }
}
