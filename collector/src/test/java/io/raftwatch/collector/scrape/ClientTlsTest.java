package io.raftwatch.collector.scrape;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.raftwatch.collector.config.ClusterConfig;
import io.raftwatch.collector.config.TlsConfig;
import io.raftwatch.collector.fixture.TestCertificates;
import java.io.ByteArrayInputStream;
import java.net.InetAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import okhttp3.tls.HandshakeCertificates;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Reading client TLS material: every key encoding etcd users have (PKCS#1 RSA, SEC 1 EC, PKCS#8
 * of both, made by openssl; see src/test/resources/pem/README.md), and the checks made before the
 * first scrape.
 */
class ClientTlsTest {
  @TempDir Path dir;
  private final Instant now = Instant.now();

  @ParameterizedTest
  @CsvSource({"rsa.crt, rsa-pkcs1.key", "rsa.crt, rsa-pkcs8.key", "ec.crt, ec-sec1.key",
      "ec.crt, ec-pkcs8.key"})
  void everyKeyEncodingCompletesMutualTls(String cert, String key) throws Exception {
    TestCertificates certs = TestCertificates.create(dir);
    HandshakeCertificates serverSide = new HandshakeCertificates.Builder()
        .heldCertificate(certs.server())
        .addTrustedCertificate(certificate(pem("rsa.crt")))
        .addTrustedCertificate(certificate(pem("ec.crt")))
        .build();
    try (MockWebServer server = new MockWebServer()) {
      server.useHttps(serverSide.sslSocketFactory());
      server.requireClientAuth();
      server.start(InetAddress.getByName("127.0.0.1"), 0);
      server.enqueue(new MockResponse.Builder().body("up 1\n").build());
      TlsConfig tls = new TlsConfig(Optional.of(certs.caFile()), Optional.of(pem(cert)),
          Optional.of(pem(key)), Optional.empty(), false);
      ClusterConfig cluster = HttpsScraperTest.cluster(tls, Duration.ofSeconds(5), 1 << 20,
          URI.create(server.url("/metrics").toString()));

      ClientTls clientTls = ClientTls.load(cluster.tls(), now);
      try (HttpsScraper scraper = new HttpsScraper(cluster, clientTls, Clock.fixed(now, ZoneOffset.UTC))) {
        assertThat(scraper.fetch(Target.of(cluster, cluster.members().get(0))).body()).isNotEmpty();
      }
      assertThat(clientTls.warnings()).isEmpty();
      assertThat(server.takeRequest().getHandshake().peerPrincipal().getName())
          .isEqualTo(cert.startsWith("rsa") ? "CN=rsa-test" : "CN=ec-test");
    }
  }

  @Test
  void keyOfAnotherPairIsRefusedNamingBothFiles() {
    // ec-sec1-with-params.key also checks that a leading EC PARAMETERS block is skipped.
    assertThatThrownBy(() -> load(pem("ec.crt"), pem("ec-sec1-with-params.key")))
        .isInstanceOf(TlsMaterialException.class)
        .hasMessage("key file " + pem("ec-sec1-with-params.key") + " does not match the certificate in "
            + pem("ec.crt") + " (subject CN=ec-test)");
  }

  @Test
  void rsaKeyForAnEcCertificateIsRefused() {
    assertThatThrownBy(() -> load(pem("ec.crt"), pem("rsa-pkcs1.key")))
        .hasMessageContaining("does not match the certificate in " + pem("ec.crt"));
  }

  @Test
  void missingFilesAreNamed() {
    Path absent = dir.resolve("absent.crt");
    assertThatThrownBy(() -> load(absent, pem("ec-pkcs8.key")))
        .hasMessage("certificate file " + absent + " does not exist");
    assertThatThrownBy(() -> load(pem("ec.crt"), dir.resolve("absent.key")))
        .hasMessage("key file " + dir.resolve("absent.key") + " does not exist");
  }

  @Test
  void fileWithoutPemIsNamed() throws Exception {
    Path junk = Files.writeString(dir.resolve("junk.crt"), "not a certificate\n");
    assertThatThrownBy(() -> load(junk, pem("ec-pkcs8.key")))
        .hasMessage("certificate file " + junk + " holds no PEM block (-----BEGIN ...-----)");
  }

  @Test
  void keyFileWithOnlyACertificateIsNamed() {
    assertThatThrownBy(() -> load(pem("ec.crt"), pem("ec.crt")))
        .hasMessage("key file " + pem("ec.crt") + " holds no private key block "
            + "(PRIVATE KEY, RSA PRIVATE KEY or EC PRIVATE KEY)");
  }

  @Test
  void encryptedKeyIsRefusedWithoutQuotingIt() throws Exception {
    Path encrypted = Files.writeString(dir.resolve("enc.key"),
        "-----BEGIN ENCRYPTED PRIVATE KEY-----\nc2VjcmV0\n-----END ENCRYPTED PRIVATE KEY-----\n");
    assertThatThrownBy(() -> load(pem("ec.crt"), encrypted))
        .hasMessageContaining("is encrypted")
        .hasMessageNotContaining("c2VjcmV0");
  }

  @Test
  void expiredAndNotYetValidCertificatesAreReportedBeforeTheFirstScrape() throws Exception {
    TestCertificates certs = TestCertificates.create(dir);
    TestCertificates.PemPair expired = certs.expiredClient();
    TestCertificates.PemPair future = certs.write("future", TestCertificates.issue(certs.ca(),
        "future", now.plus(Duration.ofDays(1)), now.plus(Duration.ofDays(2))));

    ClientTls expiredTls = load(expired.cert(), expired.key());
    ClientTls futureTls = load(future.cert(), future.key());

    assertThat(expiredTls.warnings()).singleElement().asString()
        .startsWith("client certificate in " + expired.cert() + " expired at ");
    assertThat(futureTls.warnings()).singleElement().asString()
        .startsWith("client certificate in " + future.cert() + " is not valid before ");
  }

  private ClientTls load(Path cert, Path key) throws TlsMaterialException {
    return ClientTls.load(Optional.of(new TlsConfig(Optional.empty(), Optional.of(cert),
        Optional.of(key), Optional.empty(), false)), now);
  }

  private static Path pem(String name) {
    return Path.of("src/test/resources/pem", name).toAbsolutePath();
  }

  private static X509Certificate certificate(Path file) throws Exception {
    return (X509Certificate) CertificateFactory.getInstance("X.509")
        .generateCertificate(new ByteArrayInputStream(Files.readAllBytes(file)));
  }
}
