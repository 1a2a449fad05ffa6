package io.raftwatch.raftkv.config;

import io.grpc.netty.shaded.io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.shaded.io.netty.handler.ssl.ClientAuth;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContext;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContextBuilder;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.TrustManagerFactory;

/**
 * Builds TLS contexts from {@link TlsFiles}: Netty contexts for gRPC (peer and client servers and
 * the peer client) and a JDK {@link SSLContext} for anything else. Called once at startup; the
 * contexts are immutable and thread-safe.
 */
public final class TlsContexts {
  private TlsContexts() {}

  /** The server side; requires a client certificate signed by the trusted CA if so configured. */
  public static SslContext grpcServer(TlsFiles tls) throws ConfigException {
    Material m = Material.load(tls);
    SslContextBuilder b = GrpcSslContexts.configure(SslContextBuilder.forServer(m.key, m.chain));
    if (m.trusted != null) {
      b.trustManager(m.trusted);
    }
    if (tls.clientCertAuth()) {
      if (m.trusted == null) {
        throw new ConfigException(
            tls.flag("client-cert-auth") + " needs " + tls.flag("trusted-ca-file"));
      }
      b.clientAuth(ClientAuth.REQUIRE);
    }
    return build(b, tls);
  }

  /** The client side: presents this member's certificate, trusts only the trusted CA if given. */
  public static SslContext grpcClient(TlsFiles tls) throws ConfigException {
    Material m = Material.load(tls);
    SslContextBuilder b = GrpcSslContexts.forClient().keyManager(m.key, m.chain);
    if (m.trusted != null) {
      b.trustManager(m.trusted);
    }
    return build(b, tls);
  }

  /** A JDK context holding this member's key and trusting the trusted CA (or the JDK's CAs). */
  public static SSLContext jdk(TlsFiles tls) throws ConfigException {
    Material m = Material.load(tls);
    try {
      KeyStore ks = KeyStore.getInstance("PKCS12");
      ks.load(null, null);
      char[] none = new char[0];
      ks.setKeyEntry("member", m.key, none, m.chain);
      KeyManagerFactory kmf =
          KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      kmf.init(ks, none);
      TrustManagerFactory tmf =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      if (m.trusted == null) {
        tmf.init((KeyStore) null);
      } else {
        KeyStore ts = KeyStore.getInstance("PKCS12");
        ts.load(null, null);
        for (int i = 0; i < m.trusted.length; i++) {
          ts.setCertificateEntry("ca" + i, m.trusted[i]);
        }
        tmf.init(ts);
      }
      SSLContext ctx = SSLContext.getInstance("TLS");
      ctx.init(kmf.getKeyManagers(), tmf.getTrustManagers(), null);
      return ctx;
    } catch (GeneralSecurityException | java.io.IOException e) {
      throw new ConfigException(
          tls.flag("key-file")
              + " does not match "
              + tls.flag("cert-file")
              + ": "
              + e.getMessage());
    }
  }

  private static SslContext build(SslContextBuilder b, TlsFiles tls) throws ConfigException {
    try {
      return b.build();
    } catch (SSLException | IllegalArgumentException e) {
      throw new ConfigException(
          tls.flag("cert-file") + "/" + tls.flag("key-file") + " unusable: " + e.getMessage());
    }
  }

  /** The decoded files of one {@link TlsFiles}. */
  private record Material(PrivateKey key, X509Certificate[] chain, X509Certificate[] trusted) {
    static Material load(TlsFiles tls) throws ConfigException {
      if (!tls.enabled() || tls.keyFile() == null) {
        throw new ConfigException(
            tls.flag("cert-file") + " and " + tls.flag("key-file") + " are both required for TLS");
      }
      List<X509Certificate> chain = PemFiles.certificates(tls.certFile(), tls.flag("cert-file"));
      PrivateKey key = PemFiles.privateKey(tls.keyFile(), tls.flag("key-file"));
      X509Certificate[] trusted =
          tls.trustedCaFile() == null
              ? null
              : PemFiles.certificates(tls.trustedCaFile(), tls.flag("trusted-ca-file"))
                  .toArray(X509Certificate[]::new);
      return new Material(key, chain.toArray(X509Certificate[]::new), trusted);
    }
  }
}
