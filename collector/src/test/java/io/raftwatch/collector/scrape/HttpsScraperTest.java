package io.raftwatch.collector.scrape;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.raftwatch.collector.config.ClusterConfig;
import io.raftwatch.collector.config.KubernetesConfig;
import io.raftwatch.collector.config.MemberConfig;
import io.raftwatch.collector.config.TlsConfig;
import io.raftwatch.collector.fixture.TestCertificates;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import okio.Buffer;
import okio.GzipSink;
import okio.Okio;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** HTTP and mutual TLS of one scrape against MockWebServer, with certificates made per run. */
class HttpsScraperTest {
  private static final String EXPOSITION = """
      # HELP etcd_server_has_leader Whether or not a leader exists. 1 is existence, 0 is not.
      # TYPE etcd_server_has_leader gauge
      etcd_server_has_leader 1
      """;

  @TempDir Path dir;
  private TestCertificates certs;
  private MockWebServer server;
  private final Clock clock = Clock.fixed(Instant.now(), ZoneOffset.UTC);

  @BeforeEach
  void startServer() throws IOException {
    certs = TestCertificates.create(dir);
    server = new MockWebServer();
    server.useHttps(certs.serverHandshake().sslSocketFactory());
    server.requireClientAuth();
    server.start(InetAddress.getByName("127.0.0.1"), 0);
  }

  @AfterEach
  void stopServer() {
    server.close();
  }

  @Test
  void goodClientCertificateFetchesTheExpositionWithPrometheusHeaders() throws Exception {
    server.enqueue(new MockResponse.Builder()
        .setHeader("Content-Type", "text/plain; version=0.0.4; charset=utf-8").body(EXPOSITION).build());

    ScrapeResponse response = fetch(tls(certs.caFile(), certs.clientFiles()), Duration.ofSeconds(5));

    assertThat(new String(response.body(), StandardCharsets.UTF_8)).isEqualTo(EXPOSITION);
    assertThat(response.contentType()).isEqualTo("text/plain; version=0.0.4; charset=utf-8");
    RecordedRequest request = server.takeRequest(1, TimeUnit.SECONDS);
    assertThat(request.getHeaders().get("Accept")).isEqualTo(HttpsScraper.ACCEPT)
        .startsWith("application/openmetrics-text;version=1.0.0");
    assertThat(request.getHeaders().get("Accept-Encoding")).isEqualTo("gzip");
    assertThat(request.getHeaders().get("X-Prometheus-Scrape-Timeout-Seconds")).isEqualTo("5");
    assertThat(request.getHandshake().peerPrincipal().getName()).contains("raftwatch-client");
  }

  @Test
  void gzipBodiesAreInflated() throws Exception {
    Buffer gzipped = new Buffer();
    try (var sink = Okio.buffer(new GzipSink(gzipped))) {
      sink.writeUtf8(EXPOSITION);
    }
    server.enqueue(new MockResponse.Builder().setHeader("Content-Encoding", "gzip").body(gzipped)
        .build());

    ScrapeResponse response = fetch(tls(certs.caFile(), certs.clientFiles()), Duration.ofSeconds(5));

    assertThat(new String(response.body(), StandardCharsets.UTF_8)).isEqualTo(EXPOSITION);
  }

  @Test
  void serverFromAnotherCaIsSignedByUnknownAuthority() {
    server.enqueue(new MockResponse.Builder().body(EXPOSITION).build());

    assertThatThrownBy(() -> fetch(tls(certs.otherCaFile(), certs.clientFiles()), Duration.ofSeconds(5)))
        .isInstanceOf(ScrapeFailure.class)
        .hasMessage(url() + ": TLS handshake failed: certificate signed by unknown authority");
  }

  @Test
  void missingClientCertificateIsReportedAsRejectedNamingTheEndpoint() {
    server.enqueue(new MockResponse.Builder().body(EXPOSITION).build());
    TlsConfig noClientCert = new TlsConfig(Optional.of(certs.caFile()), Optional.empty(),
        Optional.empty(), Optional.empty(), false);

    assertThatThrownBy(() -> fetch(noClientCert, Duration.ofSeconds(5)))
        .isInstanceOf(ScrapeFailure.class)
        .hasMessageStartingWith(url() + ": the server rejected our client certificate (or we sent none)")
        .hasMessageContaining("we sent none, as no client certificate is configured");
  }

  @Test
  void clientCertificateFromAnotherCaIsReportedAsRejected() {
    server.enqueue(new MockResponse.Builder().body(EXPOSITION).build());

    assertThatThrownBy(() -> fetch(tls(certs.caFile(), certs.clientFromOtherCa()), Duration.ofSeconds(5)))
        .isInstanceOf(ScrapeFailure.class)
        .hasMessageStartingWith(url() + ": the server rejected our client certificate (or we sent none)")
        .hasMessageNotContaining("no client certificate is configured");
  }

  @Test
  void expiredClientCertificateIsRejectedAndSaysItExpired() {
    server.enqueue(new MockResponse.Builder().body(EXPOSITION).build());
    TestCertificates.PemPair expired = certs.expiredClient();

    assertThatThrownBy(() -> fetch(tls(certs.caFile(), expired), Duration.ofSeconds(5)))
        .isInstanceOf(ScrapeFailure.class)
        .hasMessageContaining("the server rejected our client certificate (or we sent none)")
        .hasMessageContaining("our client certificate in " + expired.cert() + " expired at");
  }

  @Test
  void expiredServerCertificateIsReportedAsExpired() throws IOException {
    server.close();
    var expiredServer = TestCertificates.issue(certs.ca(), "old-member",
        Instant.now().minus(Duration.ofDays(3)), Instant.now().minus(Duration.ofDays(1)), "127.0.0.1");
    server = new MockWebServer();
    server.useHttps(new okhttp3.tls.HandshakeCertificates.Builder()
        .heldCertificate(expiredServer).build().sslSocketFactory());
    server.start(InetAddress.getByName("127.0.0.1"), 0);
    server.enqueue(new MockResponse.Builder().body(EXPOSITION).build());

    assertThatThrownBy(() -> fetch(tls(certs.caFile(), certs.clientFiles()), Duration.ofSeconds(5)))
        .isInstanceOf(ScrapeFailure.class)
        .hasMessage(url() + ": TLS handshake failed: certificate expired (the server's certificate)");
  }

  @Test
  void slowServerTimesOutAfterTheScrapeTimeout() {
    server.enqueue(new MockResponse.Builder().body(EXPOSITION).headersDelay(10, TimeUnit.SECONDS)
        .build());

    assertThatThrownBy(() -> fetch(tls(certs.caFile(), certs.clientFiles()), Duration.ofMillis(300)))
        .isInstanceOf(ScrapeFailure.class)
        .hasMessage(url() + ": timeout after 300ms");
  }

  @Test
  void bodyOverTheLimitIsRefused() {
    server.enqueue(new MockResponse.Builder().body("x".repeat(2048)).build());
    ClusterConfig cluster = cluster(tls(certs.caFile(), certs.clientFiles()), Duration.ofSeconds(5), 1024);

    assertThatThrownBy(() -> fetch(cluster))
        .isInstanceOf(ScrapeFailure.class)
        .hasMessage(url() + ": body over 1 KiB");
  }

  @Test
  void bodyExactlyAtTheLimitIsAccepted() throws Exception {
    server.enqueue(new MockResponse.Builder().body("x".repeat(1024)).build());
    ClusterConfig cluster = cluster(tls(certs.caFile(), certs.clientFiles()), Duration.ofSeconds(5), 1024);

    assertThat(fetch(cluster).body()).hasSize(1024);
  }

  @Test
  void closedPortIsConnectionRefused() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      port = s.getLocalPort();
    }
    URI url = URI.create("https://127.0.0.1:" + port + "/metrics");
    ClusterConfig cluster = cluster(tls(certs.caFile(), certs.clientFiles()), Duration.ofSeconds(5),
        1 << 20, url);

    assertThatThrownBy(() -> fetch(cluster))
        .isInstanceOf(ScrapeFailure.class)
        .hasMessage(url + ": connection refused");
  }

  @Test
  void httpsUrlOnAPlainHttpServerSaysSo() throws Exception {
    // What etcd's (Go's) plain HTTP listener does with a TLS ClientHello: answer 400 and close.
    try (PlainSocketServer plain = new PlainSocketServer("HTTP/1.1 400 Bad Request\r\n"
        + "Content-Type: text/plain; charset=utf-8\r\nConnection: close\r\n\r\n400 Bad Request")) {
      URI url = URI.create("https://127.0.0.1:" + plain.port() + "/metrics");
      ClusterConfig cluster = cluster(tls(certs.caFile(), certs.clientFiles()), Duration.ofSeconds(5),
          1 << 20, url);

      assertThatThrownBy(() -> fetch(cluster))
          .hasMessage(url + ": TLS handshake failed: the server does not speak TLS (use an http:// URL?)");
    }
  }

  @Test
  void serverHangingUpMidHandshakeSaysSo() throws Exception {
    try (PlainSocketServer silent = new PlainSocketServer("")) {
      URI url = URI.create("https://127.0.0.1:" + silent.port() + "/metrics");
      ClusterConfig cluster = cluster(tls(certs.caFile(), certs.clientFiles()), Duration.ofSeconds(5),
          1 << 20, url);

      assertThatThrownBy(() -> fetch(cluster))
          .hasMessage(url + ": TLS handshake failed: the server closed the connection during the "
              + "handshake (does it serve TLS on this port?)");
    }
  }

  /** A loopback server that reads what arrives, writes {@code reply} and closes, every time. */
  private static final class PlainSocketServer implements AutoCloseable {
    private final java.net.ServerSocket socket;
    private final Thread acceptor;

    PlainSocketServer(String reply) throws java.io.IOException {
      socket = new java.net.ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"));
      acceptor = new Thread(() -> {
        while (!socket.isClosed()) {
          try (java.net.Socket s = socket.accept()) {
            s.getInputStream().read(new byte[4096]);
            s.getOutputStream().write(reply.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
          } catch (java.io.IOException e) {
            // closed by the test, or the client gave up: either way, next connection
          }
        }
      }, "plain-socket-server");
      acceptor.setDaemon(true);
      acceptor.start();
    }

    int port() {
      return socket.getLocalPort();
    }

    @Override
    public void close() throws Exception {
      socket.close();
      acceptor.join(5000);
    }
  }

  @Test
  void httpErrorStatusIsAFailure() {
    server.enqueue(new MockResponse.Builder().code(404).body("404 page not found").build());

    assertThatThrownBy(() -> fetch(tls(certs.caFile(), certs.clientFiles()), Duration.ofSeconds(5)))
        .isInstanceOf(ScrapeFailure.class)
        .hasMessageStartingWith(url() + ": server returned HTTP 404");
  }

  @Test
  void serverNameIsVerifiedInsteadOfTheUrlHost() throws Exception {
    server.close();
    var namedServer = TestCertificates.issue(certs.ca(), "etcd", Instant.now().minusSeconds(60),
        Instant.now().plus(Duration.ofDays(1)), "etcd.example.internal");
    server = new MockWebServer();
    server.useHttps(new okhttp3.tls.HandshakeCertificates.Builder().heldCertificate(namedServer)
        .build().sslSocketFactory());
    server.start(InetAddress.getByName("127.0.0.1"), 0);
    server.enqueue(new MockResponse.Builder().body(EXPOSITION).build());
    server.enqueue(new MockResponse.Builder().body(EXPOSITION).build());
    TestCertificates.PemPair client = certs.clientFiles();

    assertThatThrownBy(() -> fetch(tls(certs.caFile(), client), Duration.ofSeconds(5)))
        .hasMessageContaining("TLS handshake failed: the server's certificate is not valid for this host name");
    TlsConfig named = new TlsConfig(Optional.of(certs.caFile()), Optional.of(client.cert()),
        Optional.of(client.key()), Optional.of("etcd.example.internal"), false);
    assertThat(fetch(named, Duration.ofSeconds(5)).body()).isNotEmpty();
  }

  @Test
  void insecureSkipVerifyAcceptsAServerFromAnyCa() throws Exception {
    server.enqueue(new MockResponse.Builder().body(EXPOSITION).build());
    TestCertificates.PemPair client = certs.clientFiles();
    TlsConfig insecure = new TlsConfig(Optional.of(certs.otherCaFile()), Optional.of(client.cert()),
        Optional.of(client.key()), Optional.empty(), true);

    assertThat(fetch(insecure, Duration.ofSeconds(5)).body()).isNotEmpty();
  }

  private String url() {
    return server.url("/metrics").toString();
  }

  private ScrapeResponse fetch(TlsConfig tls, Duration timeout) throws Exception {
    return fetch(cluster(tls, timeout, ClusterConfig.DEFAULT_BODY_SIZE_LIMIT));
  }

  private ScrapeResponse fetch(ClusterConfig cluster) throws Exception {
    ClientTls clientTls = ClientTls.load(cluster.tls(), clock.instant());
    try (HttpsScraper scraper = new HttpsScraper(cluster, clientTls, clock)) {
      return scraper.fetch(Target.of(cluster, cluster.members().get(0)));
    }
  }

  private ClusterConfig cluster(TlsConfig tls, Duration timeout, long limit) {
    return cluster(tls, timeout, limit, URI.create(url()));
  }

  static ClusterConfig cluster(TlsConfig tls, Duration timeout, long limit, URI... urls) {
    List<MemberConfig> members = new java.util.ArrayList<>();
    for (int i = 0; i < urls.length; i++) {
      members.add(new MemberConfig("member-" + (i + 1), urls[i], Optional.empty()));
    }
    return new ClusterConfig("test", "etcd", members, Optional.of(tls), Map.of(),
        Duration.ofSeconds(15).plus(timeout), timeout, limit, List.of(),
        new KubernetesConfig("monitoring", Map.of(), "test", KubernetesConfig.MetricsPort.CLIENT,
            "test-client-tls", Optional.empty(), Map.of(), Map.of(), false));
  }

  private static TlsConfig tls(Path ca, TestCertificates.PemPair client) {
    return new TlsConfig(Optional.of(ca), Optional.of(client.cert()), Optional.of(client.key()),
        Optional.empty(), false);
  }
}
