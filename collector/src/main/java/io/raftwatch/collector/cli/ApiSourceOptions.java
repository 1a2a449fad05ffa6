package io.raftwatch.collector.cli;

import io.raftwatch.collector.config.PrometheusDuration;
import io.raftwatch.collector.config.TlsConfig;
import io.raftwatch.collector.report.source.PrometheusApiSource;
import io.raftwatch.collector.scrape.ClientTls;
import io.raftwatch.collector.scrape.TlsMaterialException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import picocli.CommandLine.Option;

/**
 * How to talk to a Prometheus HTTP API ({@code --prometheus}, or the collector's own API):
 * client TLS files, a bearer token file and a timeout. A picocli mixin for {@code report} and
 * {@code check}; filled in on the main thread. The token is read from the file and never printed.
 */
public final class ApiSourceOptions {
  @Option(names = "--api-cacert", paramLabel = "FILE",
      description = "CA bundle that signs the API server's certificate (https URLs).")
  Path cacert;

  @Option(names = "--api-cert", paramLabel = "FILE",
      description = "Client certificate for an API server that asks for one.")
  Path cert;

  @Option(names = "--api-key", paramLabel = "FILE", description = "Key of --api-cert.")
  Path key;

  @Option(names = "--bearer-token-file", paramLabel = "FILE",
      description = "Send the token in this file as 'Authorization: Bearer'. Never printed.")
  Path bearerTokenFile;

  @Option(names = "--api-timeout", paramLabel = "DURATION", defaultValue = "30s",
      description = "Limit for one API request (default: ${DEFAULT-VALUE}).")
  String timeout;

  /**
   * A source for the API at {@code url}.
   *
   * @throws IllegalArgumentException for a bad URL, duration or token file, naming it
   * @throws TlsMaterialException for unusable TLS files, naming them
   */
  PrometheusApiSource open(String url) throws TlsMaterialException {
    if ((cert == null) != (key == null)) {
      throw new IllegalArgumentException("--api-cert and --api-key go together");
    }
    Duration limit;
    try {
      limit = PrometheusDuration.parse(timeout);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("--api-timeout: " + e.getMessage());
    }
    Optional<ClientTls> tls = Optional.empty();
    if (cacert != null || cert != null) {
      tls = Optional.of(ClientTls.load(Optional.of(new TlsConfig(Optional.ofNullable(cacert),
          Optional.ofNullable(cert), Optional.ofNullable(key), Optional.empty(), false)),
          Clock.systemUTC().instant()));
    }
    return PrometheusApiSource.create(url, tls, Optional.ofNullable(bearerTokenFile), limit);
  }
}
