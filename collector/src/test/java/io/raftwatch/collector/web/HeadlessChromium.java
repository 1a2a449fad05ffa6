package io.raftwatch.collector.web;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okhttp3.WebSocket;
import okhttp3.WebSocketListener;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * Debian's Chromium, headless, driven over the DevTools protocol (OkHttp's WebSocket client and
 * Jackson; no npm): opens one page, evaluates JavaScript in it, takes screenshots, and records
 * every problem the page reports ({@code Runtime.exceptionThrown}, {@code Log.entryAdded} at level
 * error, {@code console.error}). Started with a throwaway profile in the test's directory and an
 * ephemeral debugging port read back from {@code DevToolsActivePort}. {@link #close()} kills the
 * browser and its helper processes. Skips the test without /usr/bin/chromium; fails it when
 * CI=true. One test thread uses it; DevTools events arrive on OkHttp's thread.
 */
final class HeadlessChromium implements AutoCloseable {
  private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration CALL_TIMEOUT = Duration.ofSeconds(30);

  private final Process process;
  private final OkHttpClient http;
  private final WebSocket socket;
  private final AtomicInteger ids = new AtomicInteger();
  private final Map<Integer, CompletableFuture<JsonNode>> calls = new ConcurrentHashMap<>();
  private final List<String> problems = new CopyOnWriteArrayList<>();

  private HeadlessChromium(Process process, OkHttpClient http, String pageSocketUrl)
      throws Exception {
    this.process = process;
    this.http = http;
    CompletableFuture<Void> opened = new CompletableFuture<>();
    this.socket = http.newWebSocket(new Request.Builder().url(pageSocketUrl).build(),
        new WebSocketListener() {
          @Override
          public void onOpen(WebSocket webSocket, Response response) {
            opened.complete(null);
          }

          @Override
          public void onMessage(WebSocket webSocket, String text) {
            handle(text);
          }

          @Override
          public void onFailure(WebSocket webSocket, Throwable t, Response response) {
            opened.completeExceptionally(t);
            calls.values().forEach(c -> c.completeExceptionally(t));
          }
        });
    opened.get(CALL_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
    call("Runtime.enable", Map.of());
    call("Log.enable", Map.of());
    call("Page.enable", Map.of());
  }

  /** Starts Chromium with a profile under {@code dir} and connects to a new blank page. */
  static HeadlessChromium start(Path dir) throws Exception {
    requireChromium();
    Path profile = Files.createDirectories(dir.resolve("chromium-profile"));
    Path log = dir.resolve("chromium.log");
    // Chromium's singleton socket goes under TMPDIR; keep it inside the test's directory too.
    Path tmp = Files.createDirectories(dir.resolve("chromium-tmp"));
    ProcessBuilder pb = new ProcessBuilder(CHROMIUM.toString(), "--headless", "--no-sandbox",
        "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage",
        "--window-size=1280,1000", "--user-data-dir=" + profile, "--remote-debugging-port=0",
        "about:blank")
        .redirectErrorStream(true).redirectOutput(log.toFile());
    pb.environment().put("TMPDIR", tmp.toString());
    Process p = pb.start();
    OkHttpClient http = new OkHttpClient.Builder().readTimeout(Duration.ZERO).build();
    try {
      int port = awaitPort(profile.resolve("DevToolsActivePort"), p, log);
      // A fresh tab of our own; PUT is what current Chromium wants for /json/new.
      try (Response r = http.newCall(new Request.Builder()
          .url("http://127.0.0.1:" + port + "/json/new?about:blank")
          .put(RequestBody.create(new byte[0])).build()).execute()) {
        JsonNode target = JSON.readTree(r.body().string());
        return new HeadlessChromium(p, http, target.get("webSocketDebuggerUrl").asText());
      }
    } catch (Exception | Error e) {
      kill(p, http);
      throw e;
    }
  }

  private static int awaitPort(Path file, Process p, Path log) throws Exception {
    Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
    while (Instant.now().isBefore(deadline)) {
      if (Files.exists(file)) {
        List<String> lines = Files.readAllLines(file);
        if (!lines.isEmpty() && !lines.get(0).isBlank()) {
          return Integer.parseInt(lines.get(0).trim());
        }
      }
      if (p.waitFor(100, TimeUnit.MILLISECONDS)) {
        break;
      }
    }
    throw new IllegalStateException("chromium did not start its DevTools server: "
        + Files.readString(log));
  }

  /** Navigates and waits for the load event. */
  void navigate(String url) throws Exception {
    call("Page.navigate", Map.of("url", url));
    waitFor("document.readyState === 'complete'", Duration.ofSeconds(30));
  }

  /** Evaluates {@code expression} in the page (awaiting a promise) and returns its JSON value. */
  JsonNode evaluate(String expression) throws Exception {
    JsonNode r = call("Runtime.evaluate",
        Map.of("expression", expression, "returnByValue", true, "awaitPromise", true));
    if (r.has("exceptionDetails")) {
      throw new IllegalStateException("evaluating " + expression + ": " + r.get("exceptionDetails"));
    }
    return r.path("result").path("value");
  }

  /**
   * Waits until {@code expression} is true in the page, re-evaluating every 100 ms; fails with the
   * page's text when {@code timeout} passes.
   */
  void waitFor(String expression, Duration timeout) throws Exception {
    waitUntil(() -> evaluate("Boolean(" + expression + ")").asBoolean(), expression, timeout);
  }

  /** A condition the test waits for. */
  interface Condition {
    boolean holds() throws Exception;
  }

  void waitUntil(Condition c, String what, Duration timeout) throws Exception {
    Instant deadline = Instant.now().plus(timeout);
    while (!c.holds()) {
      if (Instant.now().isAfter(deadline)) {
        Assertions.fail("timed out after " + timeout.toSeconds() + "s waiting for " + what
            + "; page text:\n" + evaluate("document.body ? document.body.innerText : ''").asText());
      }
      Thread.sleep(100);
    }
  }

  /** A PNG of the whole page at 1280 pixels wide. */
  byte[] screenshot() throws Exception {
    JsonNode size = evaluate("[document.documentElement.scrollWidth,"
        + " document.documentElement.scrollHeight]");
    call("Emulation.setDeviceMetricsOverride", Map.of("width", 1280,
        "height", Math.min(4000, size.get(1).asInt()), "deviceScaleFactor", 1, "mobile", false));
    JsonNode shot = call("Page.captureScreenshot", Map.of("format", "png"));
    return Base64.getDecoder().decode(shot.get("data").asText());
  }

  /** Every exception, error log entry and console.error the page produced so far. */
  List<String> problems() {
    return new ArrayList<>(problems);
  }

  private JsonNode call(String method, Map<String, Object> params) throws Exception {
    int id = ids.incrementAndGet();
    CompletableFuture<JsonNode> answer = new CompletableFuture<>();
    calls.put(id, answer);
    ObjectNode message = JSON.createObjectNode().put("id", id).put("method", method);
    message.set("params", JSON.valueToTree(params));
    if (!socket.send(JSON.writeValueAsString(message))) {
      throw new IllegalStateException("DevTools connection closed");
    }
    try {
      JsonNode r = answer.get(CALL_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
      if (r.has("error")) {
        throw new IllegalStateException(method + " failed: " + r.get("error"));
      }
      return r.path("result");
    } finally {
      calls.remove(id);
    }
  }

  private void handle(String text) {
    JsonNode m;
    try {
      m = JSON.readTree(text);
    } catch (IOException e) {
      problems.add("unreadable DevTools message: " + text);
      return;
    }
    if (m.has("id")) {
      CompletableFuture<JsonNode> c = calls.get(m.get("id").asInt());
      if (c != null) {
        c.complete(m);
      }
      return;
    }
    String method = m.path("method").asText();
    JsonNode p = m.path("params");
    if (method.equals("Runtime.exceptionThrown")) {
      JsonNode d = p.path("exceptionDetails");
      problems.add("exception: " + d.path("exception").path("description").asText(d.path("text").asText())
          + " at " + d.path("url").asText() + ":" + d.path("lineNumber").asInt());
    } else if (method.equals("Log.entryAdded") && is(p.path("entry"), "level", "error"::equals)) {
      problems.add("log: " + p.path("entry").path("text").asText() + " "
          + p.path("entry").path("url").asText());
    } else if (method.equals("Runtime.consoleAPICalled") && is(p, "type", "error"::equals)) {
      problems.add("console.error: " + p.path("args"));
    }
  }

  private static boolean is(JsonNode n, String field, Predicate<String> test) {
    return test.test(n.path(field).asText());
  }

  @Override
  public void close() {
    socket.cancel();
    kill(process, http);
  }

  private static void kill(Process p, OkHttpClient http) {
    // The wrapper script's children (the browser, its zygote and renderers) too: listed before
    // the script dies, since they are reparented then.
    List<ProcessHandle> children = p.descendants().toList();
    children.forEach(ProcessHandle::destroyForcibly);
    p.destroyForcibly();
    try {
      p.waitFor(10, TimeUnit.SECONDS);
      for (ProcessHandle h : children) {
        h.onExit().get(10, TimeUnit.SECONDS);
      }
    } catch (Exception e) {
      // Best effort: the profile directory goes with the test's @TempDir either way.
    }
    http.dispatcher().executorService().shutdown();
    http.connectionPool().evictAll();
  }

  private static void requireChromium() {
    if (!Files.isExecutable(CHROMIUM)) {
      String message = CHROMIUM + " is missing; install Debian's chromium package to run the page test";
      if ("true".equals(System.getenv("CI"))) {
        Assertions.fail(message + " [CI=true: interop tests must run]");
      }
      Assumptions.abort(message);
    }
  }
}
