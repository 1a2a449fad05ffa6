package io.raftwatch.collector.demo;

import io.raftwatch.collector.jobs.Collector;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.Optional;

/**
 * Starts the collector's web page for the demo, as {@code raftwatch run} starts it. Supplied by the
 * command (the composition of the {@code web} package's parts lives with {@code run}); called once
 * on the main thread.
 */
@FunctionalInterface
public interface PageStarter {
  /** For a demo without a page: nothing is served, and no URL printed. */
  PageStarter NONE = (collector, address) -> Optional.empty();

  /**
   * Serves the page of {@code collector} on {@code address} (port 0: a free one).
   *
   * @return where it is served and what stops it, or empty when there is no page
   * @throws IOException when the address cannot be bound
   */
  Optional<Page> start(Collector collector, InetSocketAddress address) throws IOException;

  /** A page being served: its URL and what stops the server. */
  record Page(URI url, AutoCloseable server) {}
}
