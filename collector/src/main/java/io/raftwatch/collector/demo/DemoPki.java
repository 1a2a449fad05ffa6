package io.raftwatch.collector.demo;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import okhttp3.tls.HeldCertificate;

/**
 * The demo's certificates as PEM files under {@code <demo-dir>/pki/}: a CA ({@code ca.crt}), one
 * certificate per member that serves clients, peers and metrics ({@code m1.crt}, {@code m1.key}),
 * and the client certificate the collector and etcdctl use ({@code client.crt}, {@code
 * client.key}). Every certificate names 127.0.0.1 and localhost. Keys are written with mode 0600
 * from the start (never world-readable, even for a moment); the CA key is not kept, so nothing
 * can issue more certificates from this CA later.
 *
 * <p>Built by {@link Demo} on the main thread; immutable.
 */
public record DemoPki(Path dir, Path caCert, Map<String, CertificateFiles> members, CertificateFiles client,
    boolean reused) {

  /** How long the certificates are valid: long enough to come back to a demo directory. */
  public static final Duration VALIDITY = Duration.ofDays(365);
  /** Certificates that expire sooner than this are issued again rather than reused. */
  static final Duration MINIMUM_REMAINING = Duration.ofDays(1);

  /** A certificate and its private key. */
  public record CertificateFiles(Path cert, Path key) {}

  public DemoPki {
    members = Map.copyOf(members);
  }

  /**
   * Reuses the PEM files in {@code dir} when every one is there and valid at {@code now} for at
   * least a day more; otherwise issues a new CA and new certificates for {@code memberNames},
   * replacing the old files.
   */
  public static DemoPki loadOrIssue(Path dir, List<String> memberNames, Instant now) throws IOException {
    DemoPki expected = layout(dir, memberNames, false);
    if (expected.validAt(now.plus(MINIMUM_REMAINING))) {
      return layout(dir, memberNames, true);
    }
    Files.createDirectories(dir);
    long notBefore = now.minus(Duration.ofMinutes(5)).toEpochMilli(); // tolerate a little skew
    long notAfter = now.plus(VALIDITY).toEpochMilli();
    HeldCertificate ca = new HeldCertificate.Builder()
        .certificateAuthority(0)
        .commonName("raftwatch demo CA")
        .validityInterval(notBefore, notAfter)
        .build();
    Files.writeString(expected.caCert, ca.certificatePem());
    for (String name : memberNames) {
      write(expected.members.get(name), leaf(ca, name, notBefore, notAfter));
    }
    write(expected.client, leaf(ca, "raftwatch-demo-client", notBefore, notAfter));
    return expected;
  }

  /** Every file this PKI consists of, certificates and keys. */
  public List<Path> files() {
    List<Path> files = new ArrayList<>(List.of(caCert, client.cert, client.key));
    members.values().forEach(m -> files.addAll(List.of(m.cert, m.key)));
    return files;
  }

  private static DemoPki layout(Path dir, List<String> memberNames, boolean reused) {
    Map<String, CertificateFiles> members = new LinkedHashMap<>();
    for (String name : memberNames) {
      members.put(name, new CertificateFiles(dir.resolve(name + ".crt"), dir.resolve(name + ".key")));
    }
    return new DemoPki(dir, dir.resolve("ca.crt"), members,
        new CertificateFiles(dir.resolve("client.crt"), dir.resolve("client.key")), reused);
  }

  private static HeldCertificate leaf(HeldCertificate ca, String name, long notBefore, long notAfter) {
    return new HeldCertificate.Builder()
        .signedBy(ca)
        .commonName(name)
        .addSubjectAlternativeName("127.0.0.1")
        .addSubjectAlternativeName("localhost")
        .validityInterval(notBefore, notAfter)
        .build();
  }

  private static void write(CertificateFiles files, HeldCertificate held) throws IOException {
    Files.writeString(files.cert, held.certificatePem());
    Files.deleteIfExists(files.key);
    try {
      Files.createFile(files.key, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    } catch (FileAlreadyExistsException e) {
      throw new IOException("cannot replace " + files.key + ": it appeared while being rewritten", e);
    }
    Files.writeString(files.key, held.privateKeyPkcs8Pem());
  }

  /** Whether every file exists, and every certificate parses and is valid at {@code t}. */
  private boolean validAt(Instant t) {
    if (!files().stream().allMatch(Files::isRegularFile)) {
      return false;
    }
    List<Path> certs = new ArrayList<>(List.of(caCert, client.cert));
    members.values().forEach(m -> certs.add(m.cert));
    try {
      CertificateFactory factory = CertificateFactory.getInstance("X.509");
      for (Path cert : certs) {
        try (InputStream in = Files.newInputStream(cert)) {
          X509Certificate parsed = (X509Certificate) factory.generateCertificate(in);
          if (parsed.getNotAfter().toInstant().isBefore(t)) {
            return false;
          }
        }
      }
      return true;
    } catch (IOException | GeneralSecurityException e) {
      return false; // unreadable or damaged: issue new ones
    }
  }
}
