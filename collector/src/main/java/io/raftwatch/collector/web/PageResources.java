package io.raftwatch.collector.web;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.Set;

/**
 * The report page's files, served from the classpath ({@code web/} in the jar): one HTML page, its
 * script and its stylesheet, self-contained (no CDN, no build step). Read once at construction;
 * thread-safe afterwards.
 */
public final class PageResources {
  private static final Map<String, String[]> FILES =
      Map.of(
          "/", new String[] {"web/index.html", "text/html; charset=utf-8"},
          "/app.js", new String[] {"web/app.js", "text/javascript; charset=utf-8"},
          "/app.css", new String[] {"web/app.css", "text/css; charset=utf-8"});

  private final Map<String, WebResponse> responses;

  /** Loads the files; a missing one is a packaging bug, thrown as {@link IllegalStateException}. */
  public PageResources() {
    Map<String, WebResponse> out = new java.util.HashMap<>();
    for (Map.Entry<String, String[]> e : FILES.entrySet()) {
      out.put(e.getKey(), new WebResponse(200, e.getValue()[1], read(e.getValue()[0])));
    }
    responses = Map.copyOf(out);
  }

  private static byte[] read(String resource) {
    try (InputStream in = PageResources.class.getClassLoader().getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException("resource " + resource + " is missing from the jar");
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Adds the page's routes to {@code server}. */
  public void register(WebServer.Builder server) {
    for (Map.Entry<String, WebResponse> e : responses.entrySet()) {
      WebResponse r = e.getValue();
      server.route(e.getKey(), Set.of("GET"), request -> r);
    }
    server.route("/index.html", Set.of("GET"), request -> responses.get("/"));
  }
}
