package io.raftwatch.raftkv.config;

import io.grpc.netty.shaded.io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.shaded.io.netty.handler.ssl.ClientAuth;
import io.grpc.netty.shaded.io.netty.handler.ssl.ApplicationProtocolConfig;
import io.grpc.netty.shaded.io.netty.handler.ssl.ApplicationProtocolConfig.Protocol;
import io.grpc.netty.shaded.io.netty.handler.ssl.ApplicationProtocolConfig.SelectedListenerFailureBehavior;
import io.grpc.netty.shaded.io.netty.handler.ssl.ApplicationProtocolConfig.SelectorFailureBehavior;
import io.grpc.netty.shaded.io.netty.handler.ssl.ApplicationProtocolNames;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContext;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContextBuilder;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.net.ssl.SSLException;

/**
 * Builds Netty TLS contexts from {@link TlsFiles}: for the peer and client servers (gRPC, and etcd's
 * HTTP endpoints beside it), the metrics servers and the peer client. Called once at startup; the
 * contexts are immutable and thread-safe.
 */
public final class TlsContexts {
  private TlsContexts() {}

  /** The server side; requires a client certificate signed by the trusted CA if so configured. */
  public static SslContext grpcServer(TlsFiles tls) throws ConfigException {
    return server(tls, ApplicationProtocolNames.HTTP_2);
  }

  /**
   * A client port's server side: gRPC's settings, with ALPN offering h2 then http/1.1, as etcd's
   * client port does, for etcd's HTTP endpoints beside gRPC.
   */
  public static SslContext clientPortServer(TlsFiles tls) throws ConfigException {
    return server(tls, ApplicationProtocolNames.HTTP_2, ApplicationProtocolNames.HTTP_1_1);
  }

  /** A metrics port's server side: HTTP/1.1 only. */
  public static SslContext httpServer(TlsFiles tls) throws ConfigException {
    return server(tls, ApplicationProtocolNames.HTTP_1_1);
  }

  private static SslContext server(TlsFiles tls, String... alpn) throws ConfigException {
    Material m = Material.load(tls);
    SslContextBuilder b = GrpcSslContexts.configure(SslContextBuilder.forServer(m.key, m.chain))
        // The server's order wins: the first of these the client also offers.
        .applicationProtocolConfig(new ApplicationProtocolConfig(Protocol.ALPN,
            SelectorFailureBehavior.NO_ADVERTISE, SelectedListenerFailureBehavior.ACCEPT, alpn));
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
