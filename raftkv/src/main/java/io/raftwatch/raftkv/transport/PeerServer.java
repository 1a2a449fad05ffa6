package io.raftwatch.raftkv.transport;

import io.grpc.Server;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContext;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;

/**
 * The gRPC server that accepts peer connections on one listen address and serves a {@link
 * PeerService}. With a TLS context built for client authentication, peers whose certificate the
 * trusted CA did not sign are refused during the handshake. Started and closed by the server's main
 * thread.
 */
public final class PeerServer implements AutoCloseable {
  private final Server server;

  private PeerServer(Server server) {
    this.server = server;
  }

  /**
   * Binds and starts serving.
   *
   * @param tls the server TLS context, or null for plain-text peers (an {@code http://} peer URL)
   */
  public static PeerServer start(
      InetSocketAddress listen, SslContext tls, PeerService service, TransportOptions options)
      throws IOException {
    NettyServerBuilder builder =
        NettyServerBuilder.forAddress(listen)
            .addService(service.definition())
            .maxInboundMessageSize(options.maxMessageBytes())
            // Handlers only decode and queue (the raft loop does the work): running them on the
            // event loop saves a thread hand-off per message.
            .directExecutor();
    if (tls != null) {
      builder.sslContext(tls);
    }
    return new PeerServer(builder.build().start());
  }

  /** The bound port, useful when listening on port 0. */
  public int port() {
    return server.getPort();
  }

  @Override
  public void close() throws InterruptedException {
    // Peers' message streams never end on their own: a graceful shutdown would wait them out.
    server.shutdownNow();
    server.awaitTermination(5, TimeUnit.SECONDS);
  }
}
