package io.raftwatch.collector.web;

import java.io.IOException;

/**
 * One handler of the web server: answers a request with a complete response. Called on one of the
 * server's worker threads, possibly several at once; must not block for long (queries are bounded
 * by the engine's timeout).
 */
@FunctionalInterface
public interface Endpoint {
  /**
   * @throws ApiException for a request the endpoint refuses, with the message for the client
   * @throws IOException when reading a resource fails (answered 500 without details)
   */
  WebResponse handle(WebRequest request) throws ApiException, IOException;
}
