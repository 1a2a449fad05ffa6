package io.raftwatch.collector.web;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A complete answer to a {@link WebRequest}: status, content type, extra headers and body.
 * Immutable; returned by an {@link Endpoint} and written by {@link WebServer}.
 */
public record WebResponse(
    int status, String contentType, byte[] body, Map<String, String> headers) {
  static final String JSON = "application/json";

  public WebResponse {
    headers = Map.copyOf(headers);
  }

  public WebResponse(int status, String contentType, byte[] body) {
    this(status, contentType, body, Map.of());
  }

  /** A copy with one more header. */
  WebResponse withHeader(String name, String value) {
    Map<String, String> h = new LinkedHashMap<>(headers);
    h.put(name, value);
    return new WebResponse(status, contentType, body, h);
  }

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
