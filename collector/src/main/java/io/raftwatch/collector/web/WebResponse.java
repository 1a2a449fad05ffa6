package io.raftwatch.collector.web;

import java.nio.charset.StandardCharsets;

/**
 * A complete answer to a {@link WebRequest}: status, content type and body. Immutable; returned by
 * an {@link Endpoint} and written by {@link WebServer}.
 */
public record WebResponse(int status, String contentType, byte[] body) {
  static final String JSON = "application/json";

  /** A 200 JSON response. */
  static WebResponse json(byte[] body) {
    return new WebResponse(200, JSON, body);
  }

  /** A plain-text response. */
  static WebResponse text(int status, String text) {
    return new WebResponse(
        status, "text/plain; charset=utf-8", text.getBytes(StandardCharsets.UTF_8));
  }
}
