package io.raftwatch.collector.web;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One HTTP request as the endpoints see it: method, path and the parameters of the URL's query
 * string and of a form-encoded body, merged as Go's {@code Request.ParseForm} does (body values
 * first), so that GET and POST are answered alike, as Prometheus does. Immutable; built by {@link
 * WebServer} on a worker thread.
 */
public final class WebRequest {
  private final String method;
  private final String path;
  private final Map<String, List<String>> params;

  WebRequest(String method, String path, Map<String, List<String>> params) {
    this.method = method;
    this.path = path;
    this.params = params;
  }

  /** A request with parameters from an encoded query string and an encoded form body. */
  static WebRequest of(String method, String path, String rawQuery, String formBody) {
    Map<String, List<String>> params = new LinkedHashMap<>();
    decodeInto(formBody, params);
    decodeInto(rawQuery, params);
    return new WebRequest(method, path, params);
  }

  private static void decodeInto(String encoded, Map<String, List<String>> out) {
    if (encoded == null || encoded.isEmpty()) {
      return;
    }
    for (String pair : encoded.split("&")) {
      if (pair.isEmpty()) {
        continue;
      }
      int eq = pair.indexOf('=');
      String name = eq < 0 ? pair : pair.substring(0, eq);
      String value = eq < 0 ? "" : pair.substring(eq + 1);
      out.computeIfAbsent(decode(name), k -> new ArrayList<>()).add(decode(value));
    }
  }

  private static String decode(String s) {
    try {
      return URLDecoder.decode(s, StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      // A stray '%': keep the text as sent, as a lenient form parser would.
      return s;
    }
  }

  public String method() {
    return method;
  }

  /** The decoded path, such as {@code /api/v1/query}. */
  public String path() {
    return path;
  }

  /** The first value of parameter {@code name}, or "" when absent (Go's {@code FormValue}). */
  public String param(String name) {
    List<String> values = params.get(name);
    return values == null || values.isEmpty() ? "" : values.get(0);
  }

  /** Every value of parameter {@code name}, such as the {@code match[]} selectors. */
  public List<String> params(String name) {
    return List.copyOf(params.getOrDefault(name, List.of()));
  }
}
