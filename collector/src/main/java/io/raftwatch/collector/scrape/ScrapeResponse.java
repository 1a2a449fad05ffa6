package io.raftwatch.collector.scrape;

/**
 * A scraped exposition as received: the uncompressed body and the {@code Content-Type} that says
 * which text format it is in. Owned by the scrape thread that fetched it.
 *
 * @param body the body, at most the cluster's body size limit
 * @param contentType the header's value, or "" when the server sent none
 */
public record ScrapeResponse(byte[] body, String contentType) {}
