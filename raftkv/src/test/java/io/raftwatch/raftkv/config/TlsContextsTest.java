package io.raftwatch.raftkv.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TlsContextsTest {
  @TempDir Path dir;

  @Test
  void pkcs8Pkcs1AndSec1KeysAllBuildServerAndClientContexts() throws Exception {
    OpensslPki pki = OpensslPki.create(dir, "ca");
    for (Path[] files :
        new Path[][] {pki.issue("p8"), pki.issueWithPkcs1Key("p1"), pki.issueWithSec1Key("sec1")}) {
      TlsFiles tls = new TlsFiles("peer-", files[0], files[1], pki.caCert(), true);
      assertThat(TlsContexts.grpcServer(tls).isServer()).isTrue();
      assertThat(TlsContexts.grpcClient(tls).isClient()).isTrue();
      assertThat(TlsContexts.clientPortServer(tls).applicationProtocolNegotiator().protocols())
          .containsExactly("h2", "http/1.1");
      assertThat(TlsContexts.httpServer(tls).isServer()).isTrue();
    }
    assertThat(Files.readString(dir.resolve("p1.key"))).startsWith("-----BEGIN RSA PRIVATE KEY");
    assertThat(Files.readString(dir.resolve("sec1.key"))).startsWith("-----BEGIN EC PRIVATE KEY");
  }

  @Test
  void aCertificateGivenAsKeyIsAClearErrorWithoutKeyMaterial() throws Exception {
    OpensslPki pki = OpensslPki.create(dir, "ca");
    Path[] files = pki.issue("m");
    TlsFiles swapped = new TlsFiles("peer-", files[0], files[0], pki.caCert(), false);
    assertThatThrownBy(() -> TlsContexts.grpcServer(swapped))
        .isInstanceOf(ConfigException.class)
        .hasMessage("--peer-key-file: " + files[0] + " holds no PEM private key");
    TlsFiles keyAsCert = new TlsFiles("", files[1], files[1], null, false);
    assertThatThrownBy(() -> TlsContexts.grpcClient(keyAsCert))
        .isInstanceOf(ConfigException.class)
        .hasMessage("--cert-file: " + files[1] + " holds no PEM certificate")
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("MII"));
  }
}
