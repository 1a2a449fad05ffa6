package io.raftwatch.collector.web;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Server-Sent Events ({@code text/event-stream}) to the open pages: {@link #publish} queues one
 * event for every connected client, so the page refreshes without reloading. A comment line every
 * heartbeat keeps proxies from closing an idle stream and finds clients that went away.
 *
 * <p>Threads: {@link #open} is called by the server's worker and returns at once; {@link #publish}
 * may be called from any thread (the collector's job threads) and never blocks on a slow client:
 * all writes happen on this stream's own single thread. At most {@code maxClients} streams are
 * open; one more is refused with 503.
 */
public final class EventStream implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(EventStream.class);

  private final int maxClients;
  private final ScheduledExecutorService writer;
  private final List<Client> clients = new CopyOnWriteArrayList<>();

  private record Client(HttpExchange exchange, OutputStream out) {}

  /**
   * @param maxClients the most streams open at once
   * @param heartbeat how often an idle stream gets a comment line
   */
  public EventStream(int maxClients, Duration heartbeat) {
    this.maxClients = maxClients;
    ScheduledThreadPoolExecutor executor =
        new ScheduledThreadPoolExecutor(
            1,
            r -> {
              Thread t = new Thread(r, "raftwatch-web-events");
              t.setDaemon(true);
              return t;
            });
    executor.setRemoveOnCancelPolicy(true);
    this.writer = executor;
    long period = heartbeat.toMillis();
    writer.scheduleAtFixedRate(
        () -> send(": heartbeat\n\n"), period, period, TimeUnit.MILLISECONDS);
  }

  /** Queues event {@code name} with {@code data} (one line, such as JSON) for every client. */
  public void publish(String name, String data) {
    if (data.indexOf('\n') >= 0 || name.indexOf('\n') >= 0) {
      throw new IllegalArgumentException("an event's name and data must be one line each");
    }
    String frame = "event: " + name + "\ndata: " + data + "\n\n";
    try {
      writer.execute(() -> send(frame));
    } catch (java.util.concurrent.RejectedExecutionException closed) {
      // Closed: nobody is listening any more.
    }
  }

  void open(HttpExchange exchange) throws IOException {
    if (clients.size() >= maxClients) {
      byte[] body = ("too many event streams open (" + maxClients + ")\n")
          .getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
      exchange.sendResponseHeaders(503, body.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
      return;
    }
    exchange.getResponseHeaders().set("Content-Type", "text/event-stream; charset=utf-8");
    exchange.getResponseHeaders().set("Cache-Control", "no-store");
    exchange.sendResponseHeaders(200, 0);
    Client c = new Client(exchange, exchange.getResponseBody());
    clients.add(c);
    // The first frame tells the browser how soon to reconnect, and the page that it is live.
    writer.execute(() -> sendTo(c, "retry: 2000\nevent: hello\ndata: {}\n\n"));
  }

  private void send(String frame) {
    for (Client c : clients) {
      sendTo(c, frame);
    }
  }

  private void sendTo(Client c, String frame) {
    try {
      c.out().write(frame.getBytes(StandardCharsets.UTF_8));
      c.out().flush();
    } catch (IOException e) {
      LOG.debug("event stream client gone: {}", e.toString());
      drop(c);
    }
  }

  private void drop(Client c) {
    if (clients.remove(c)) {
      c.exchange().close();
    }
  }

  /** Closes every stream and stops the writer thread. */
  @Override
  public void close() {
    writer.shutdownNow();
    for (Client c : new ArrayList<>(clients)) {
      drop(c);
    }
  }
}
