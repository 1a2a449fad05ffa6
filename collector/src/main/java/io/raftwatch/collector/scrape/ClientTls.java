package io.raftwatch.collector.scrape;

import io.raftwatch.collector.config.TlsConfig;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;
import okhttp3.OkHttpClient;

/**
 * The TLS side of one cluster's HTTP client, built from its PEM files: the client certificate and
 * key that etcd's {@code --client-cert-auth} asks for, the CA that signs the members, and the
 * server-name policy.
 *
 * <p>{@link #load} checks everything that can be checked without a network, so that mistakes are
 * reported before the first scrape: missing or unreadable files, a key that does not belong to the
 * certificate (fatal, {@link TlsMaterialException}), and certificates that are expired or not yet
 * valid (reported through {@link #warnings()}; scraping goes on and shows {@code up 0} with the
 * reason). Immutable and thread-safe once built.
 */
public final class ClientTls {
  private final SSLContext context;
  private final X509TrustManager trustManager;
  // Null without a client certificate.
  private final KeyManager[] keyManagers;
  private final Optional<String> serverName;
  private final boolean insecureSkipVerify;
  private final Optional<X509Certificate> clientCertificate;
  private final Optional<Path> certFile;
  private final List<String> warnings;

  private ClientTls(
      SSLContext context,
      X509TrustManager trustManager,
      KeyManager[] keyManagers,
      Optional<String> serverName,
      boolean insecureSkipVerify,
      Optional<X509Certificate> clientCertificate,
      Optional<Path> certFile,
      List<String> warnings) {
    this.context = context;
    this.trustManager = trustManager;
    this.keyManagers = keyManagers;
    this.serverName = serverName;
    this.insecureSkipVerify = insecureSkipVerify;
    this.clientCertificate = clientCertificate;
    this.certFile = certFile;
    this.warnings = List.copyOf(warnings);
  }

  /**
   * Reads and checks the files of {@code config} at time {@code now}; an empty config means the
   * JDK's trusted CAs and no client certificate.
   *
   * @throws TlsMaterialException naming the file that cannot be used
   */
  public static ClientTls load(Optional<TlsConfig> config, Instant now) throws TlsMaterialException {
    TlsConfig tls = config.orElse(new TlsConfig(
        Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), false));
    List<String> warnings = new ArrayList<>();
    try {
      KeyStore trusted = null;
      if (tls.caFile().isPresent()) {
        Path caFile = tls.caFile().get();
        trusted = emptyKeyStore();
        int i = 0;
        for (X509Certificate ca : PemFile.read(caFile, "CA file").certificates("CA file")) {
          trusted.setCertificateEntry("ca-" + i++, ca);
          validity(ca, "CA certificate in " + caFile, now).ifPresent(warnings::add);
        }
      }
      X509TrustManager trustManager =
          tls.insecureSkipVerify() ? new TrustingTrustManager() : trustManager(trusted);

      KeyManager[] keyManagers = null;
      Optional<X509Certificate> clientCert = Optional.empty();
      if (tls.certFile().isPresent() && tls.keyFile().isPresent()) {
        Path certFile = tls.certFile().get();
        Path keyFile = tls.keyFile().get();
        List<X509Certificate> chain =
            PemFile.read(certFile, "certificate file").certificates("certificate file");
        PrivateKey key = PrivateKeyDecoder.decode(PemFile.read(keyFile, "key file"));
        checkKeyMatches(key, chain.get(0), certFile, keyFile);
        validity(chain.get(0), "client certificate in " + certFile, now).ifPresent(warnings::add);
        KeyStore keys = emptyKeyStore();
        char[] password = new char[0];
        keys.setKeyEntry("client", key, password, chain.toArray(new X509Certificate[0]));
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(keys, password);
        keyManagers = kmf.getKeyManagers();
        clientCert = Optional.of(chain.get(0));
      }
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(keyManagers, new TrustManager[] {trustManager}, null);
      return new ClientTls(context, trustManager, keyManagers, tls.serverName(), tls.insecureSkipVerify(),
          clientCert, tls.certFile(), warnings);
    } catch (GeneralSecurityException | java.io.IOException e) {
      // The JDK's own TLS set-up failed with files that parsed: a bug or a broken JDK, not a user
      // mistake, but still say which files were involved.
      throw new TlsMaterialException("cannot set up TLS with " + tls.certFile().map(Path::toString)
          .orElse("the CA file") + ": " + e.getMessage());
    }
  }

  /** Expired or not-yet-valid certificates found by {@link #load}; one line each, naming the file. */
  public List<String> warnings() {
    return warnings;
  }

  /**
   * The trust decision and the client key, for clients that are not OkHttp (the maintenance
   * jobs' gRPC channels).
   */
  public X509TrustManager trustManager() {
    return trustManager;
  }

  /** The client certificate's key managers; empty without a client certificate. */
  public List<KeyManager> keyManagers() {
    return keyManagers == null ? List.of() : List.of(keyManagers);
  }

  /** The name to verify server certificates against instead of the host, if configured. */
  public Optional<String> serverName() {
    return serverName;
  }

  /** Whether a client certificate is sent. */
  public boolean sendsClientCertificate() {
    return clientCertificate.isPresent();
  }

  /** Whether server certificates go unchecked ({@code insecureSkipVerify}). */
  public boolean insecureSkipVerify() {
    return insecureSkipVerify;
  }

  /**
   * Why the server would refuse our client certificate at {@code now}, if this side can tell:
   * "our client certificate in client.crt expired at …". Appended to rejection messages.
   */
  Optional<String> clientCertificateProblem(Instant now) {
    return clientCertificate.flatMap(c -> validity(c, "our client certificate in "
        + certFile.map(Path::toString).orElse("?"), now));
  }

  /**
   * Installs the socket factory, trust manager and hostname verifier on {@code builder}. Public
   * for the other HTTP clients of the collector (notify's receivers, report's Prometheus API source).
   */
  public void applyTo(OkHttpClient.Builder builder) {
    builder.sslSocketFactory(context.getSocketFactory(), trustManager);
    if (insecureSkipVerify) {
      builder.hostnameVerifier((host, session) -> true);
    } else if (serverName.isPresent()) {
      builder.hostnameVerifier(new ServerNameVerifier(serverName.get()));
    }
  }

  private static Optional<String> validity(X509Certificate cert, String what, Instant now) {
    if (now.isAfter(cert.getNotAfter().toInstant())) {
      return Optional.of(what + " expired at " + cert.getNotAfter().toInstant());
    }
    if (now.isBefore(cert.getNotBefore().toInstant())) {
      return Optional.of(what + " is not valid before " + cert.getNotBefore().toInstant());
    }
    return Optional.empty();
  }

  /** Signs with the key and verifies with the certificate's public key: equal key pairs agree. */
  private static void checkKeyMatches(PrivateKey key, X509Certificate cert, Path certFile, Path keyFile)
      throws TlsMaterialException {
    String algorithm = switch (key.getAlgorithm()) {
      case "RSA" -> "SHA256withRSA";
      case "EC" -> "SHA256withECDSA";
      default -> key.getAlgorithm();
    };
    byte[] probe = "raftwatch key check".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    boolean matches;
    try {
      Signature signer = Signature.getInstance(algorithm);
      signer.initSign(key);
      signer.update(probe);
      byte[] signature = signer.sign();
      Signature verifier = Signature.getInstance(algorithm);
      verifier.initVerify(cert.getPublicKey());
      verifier.update(probe);
      matches = verifier.verify(signature);
    } catch (GeneralSecurityException e) {
      matches = false; // e.g. an EC key against an RSA certificate
    }
    if (!matches) {
      throw new TlsMaterialException("key file " + keyFile + " does not match the certificate in "
          + certFile + " (subject " + cert.getSubjectX500Principal().getName() + ")");
    }
  }

  private static KeyStore emptyKeyStore() throws GeneralSecurityException, java.io.IOException {
    KeyStore store = KeyStore.getInstance("PKCS12");
    store.load(null, null);
    return store;
  }

  private static X509TrustManager trustManager(KeyStore trusted) throws GeneralSecurityException {
    TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(trusted);
    for (TrustManager tm : tmf.getTrustManagers()) {
      if (tm instanceof X509TrustManager x509) {
        return x509;
      }
    }
    throw new GeneralSecurityException("no X509TrustManager in the JDK");
  }

  /** Accepts every server certificate: {@code insecureSkipVerify}, and nothing else. */
  private static final class TrustingTrustManager implements X509TrustManager {
    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) {}

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) {}

    @Override
    public X509Certificate[] getAcceptedIssuers() {
      return new X509Certificate[0];
    }
  }
}
