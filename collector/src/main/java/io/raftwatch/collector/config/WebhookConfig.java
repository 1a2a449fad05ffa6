package io.raftwatch.collector.config;

import java.net.URI;
import java.time.Duration;
import java.util.Map;

/**
 * A plain HTTP endpoint that receives Alertmanager's webhook payload (version 4) straight from
 * raftwatch, without an Alertmanager in between. Immutable; header values are secrets because
 * they often carry tokens.
 *
 * @param name the payload's {@code receiver}
 * @param url where the payload is POSTed
 * @param headers extra request headers
 * @param repeatInterval how often a group that is still firing is sent again (Alertmanager's
 *     {@code repeat_interval}, default 4h)
 * @param http timeout, TLS and authentication
 */
public record WebhookConfig(
    String name, URI url, Map<String, Secret> headers, Duration repeatInterval,
    HttpClientConfig http) {

  /** Alertmanager's default repeat_interval. */
  public static final Duration DEFAULT_REPEAT_INTERVAL = Duration.ofHours(4);

  public WebhookConfig {
    headers = Map.copyOf(headers);
  }
}
