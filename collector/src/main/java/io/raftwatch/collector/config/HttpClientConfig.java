package io.raftwatch.collector.config;

import java.time.Duration;
import java.util.Optional;

/**
 * How raftwatch connects to one notification receiver (an Alertmanager or a webhook): a
 * subset of Prometheus's {@code http_config}. Immutable; {@link #toString()} hides the secrets.
 *
 * @param timeout the limit for one request, connect to last byte (Prometheus's default 10s)
 * @param tls client TLS (CA, client certificate for mTLS, server name), or empty for the JDK's CAs
 * @param basicAuth user and password, or empty; never together with {@code bearerToken}
 * @param bearerToken sent as {@code Authorization: Bearer ...}, or empty
 */
public record HttpClientConfig(
    Duration timeout,
    Optional<TlsConfig> tls,
    Optional<BasicAuth> basicAuth,
    Optional<Secret> bearerToken) {

  /** Prometheus's default timeout for pushes to an Alertmanager. */
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);

  /** No TLS options, no authentication, the default timeout. */
  public static HttpClientConfig plain() {
    return new HttpClientConfig(DEFAULT_TIMEOUT, Optional.empty(), Optional.empty(), Optional.empty());
  }

  /** HTTP basic authentication. */
  public record BasicAuth(String username, Secret password) {}
}
