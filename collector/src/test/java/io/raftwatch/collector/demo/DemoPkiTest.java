package io.raftwatch.collector.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import okhttp3.tls.HeldCertificate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The demo's certificates: what is issued, file modes, and when files are reused or replaced. */
class DemoPkiTest {
  private static final Instant NOW = Instant.parse("2026-11-24T20:00:00Z");
  private static final List<String> MEMBERS = List.of("m1", "m2", "m3");

  @TempDir Path dir;

  @Test
  void issuesACaAMemberCertificateEachAndAClientCertificateWithPrivateKeys() throws Exception {
    DemoPki pki = DemoPki.loadOrIssue(dir, MEMBERS, NOW);

    assertThat(pki.reused()).isFalse();
    assertThat(pki.files()).hasSize(9).allMatch(Files::isRegularFile);
    X509Certificate ca = read(pki.caCert());
    assertThat(ca.getBasicConstraints()).as("a CA").isGreaterThanOrEqualTo(0);
    for (String m : MEMBERS) {
      DemoPki.CertificateFiles files = pki.members().get(m);
      X509Certificate cert = read(files.cert());
      cert.verify(ca.getPublicKey());
      assertThat(cert.getSubjectX500Principal().getName()).contains("CN=" + m);
      assertThat(cert.getSubjectAlternativeNames().stream().map(san -> String.valueOf(san.get(1))))
          .containsExactlyInAnyOrder("127.0.0.1", "localhost");
      assertThat(cert.getNotAfter().toInstant()).isEqualTo(NOW.plus(DemoPki.VALIDITY));
      assertKeyIsPrivateAndMatches(files);
    }
    read(pki.client().cert()).verify(ca.getPublicKey());
    assertKeyIsPrivateAndMatches(pki.client());
    assertThat(Files.list(dir).map(p -> p.getFileName().toString())).as("no CA key is kept")
        .doesNotContain("ca.key");
  }

  @Test
  void reusesValidFilesAndReplacesFilesThatExpireWithinADay() throws Exception {
    DemoPki first = DemoPki.loadOrIssue(dir, MEMBERS, NOW);
    String ca = Files.readString(first.caCert());

    DemoPki again = DemoPki.loadOrIssue(dir, MEMBERS, NOW.plus(Duration.ofDays(30)));
    assertThat(again.reused()).isTrue();
    assertThat(Files.readString(again.caCert())).isEqualTo(ca);

    DemoPki late = DemoPki.loadOrIssue(dir, MEMBERS, NOW.plus(DemoPki.VALIDITY).minus(Duration.ofHours(12)));
    assertThat(late.reused()).isFalse();
    assertThat(Files.readString(late.caCert())).isNotEqualTo(ca);
    assertKeyIsPrivateAndMatches(late.client());
  }

  @Test
  void replacesEverythingWhenAFileIsMissing() throws Exception {
    DemoPki first = DemoPki.loadOrIssue(dir, MEMBERS, NOW);
    Files.delete(first.members().get("m2").key());

    DemoPki again = DemoPki.loadOrIssue(dir, MEMBERS, NOW);

    assertThat(again.reused()).isFalse();
    assertThat(again.members().get("m2").key()).exists();
    read(again.members().get("m1").cert()).verify(read(again.caCert()).getPublicKey());
  }

  private static void assertKeyIsPrivateAndMatches(DemoPki.CertificateFiles files) throws Exception {
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(files.key())))
        .as("mode of %s", files.key()).isEqualTo("rw-------");
    HeldCertificate held = HeldCertificate.decode(Files.readString(files.cert()) + Files.readString(files.key()));
    assertThat(held.certificate()).isEqualTo(read(files.cert()));
  }

  private static X509Certificate read(Path pem) throws Exception {
    try (InputStream in = Files.newInputStream(pem)) {
      return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
    }
  }
}
