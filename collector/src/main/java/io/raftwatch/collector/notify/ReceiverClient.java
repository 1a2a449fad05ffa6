package io.raftwatch.collector.notify;

import io.raftwatch.collector.config.HttpClientConfig;
import io.raftwatch.collector.scrape.ClientTls;
import io.raftwatch.collector.scrape.TlsMaterialException;
import java.io.IOException;
import java.net.URI;
import java.time.Instant;
import java.util.Map;
import okhttp3.Credentials;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An HTTP client for one receiver configuration: timeout, TLS (CA, client certificate, server
 * name) and the Authorization header. Posts JSON and says whether the receiver took it. Thread-safe;
 * called by the notifier's sender threads. Never puts a credential into a message it returns.
 */
final class ReceiverClient {
  private static final Logger log = LoggerFactory.getLogger(ReceiverClient.class);
  private static final MediaType JSON = MediaType.get("application/json");
  private static final String USER_AGENT = "raftwatch";

  private final OkHttpClient client;
  private final String authorization;
  private final Map<String, String> headers;

  /**
   * @param shared the collector-wide client whose connection pool and dispatcher are reused
   * @throws TlsMaterialException when a TLS file cannot be used (named in the message)
   */
  ReceiverClient(OkHttpClient shared, HttpClientConfig config, Map<String, String> headers,
      Instant now) throws TlsMaterialException {
    OkHttpClient.Builder b = shared.newBuilder().callTimeout(config.timeout())
        .followRedirects(false);
    if (config.tls().isPresent()) {
      ClientTls tls = ClientTls.load(config.tls(), now);
      tls.warnings().forEach(w -> log.warn("Notification receiver TLS: {}", w));
      tls.applyTo(b);
    }
    this.client = b.build();
    this.authorization = config.basicAuth()
        .map(a -> Credentials.basic(a.username(), a.password().reveal()))
        .or(() -> config.bearerToken().map(t -> "Bearer " + t.reveal()))
        .orElse(null);
    this.headers = Map.copyOf(headers);
  }

  /** POSTs {@code body}; throws with the status or the I/O error when not answered with 2xx. */
  void post(URI url, byte[] body) throws IOException {
    Request.Builder request = new Request.Builder().url(url.toString())
        .header("User-Agent", USER_AGENT)
        .post(RequestBody.create(body, JSON));
    headers.forEach(request::header);
    if (authorization != null) {
      request.header("Authorization", authorization);
    }
    try (Response response = client.newCall(request.build()).execute()) {
      if (response.code() / 100 != 2) {
        throw new IOException("bad response status " + response.code() + " " + response.message());
      }
    }
  }
}
