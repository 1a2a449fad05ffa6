package io.raftwatch.raftkv.api;

import io.grpc.Server;
import io.grpc.ServerInterceptors;
import io.grpc.ServerServiceDefinition;
import io.grpc.netty.shaded.io.grpc.netty.InternalNettyServerCredentials;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContext;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A member's etcd v3 client endpoint: the KV, Watch, Lease, Maintenance and Cluster services on one
 * gRPC server (grpc-netty-shaded, plain text or TLS), sharing its port with etcd's HTTP endpoints
 * ({@link ClientPortNegotiator}). Started and stopped by whoever runs the member.
 */
public final class ApiServer implements AutoCloseable {
  /** etcd's grpcOverheadBytes: room above --max-request-bytes for the rest of a gRPC message. */
  static final int GRPC_OVERHEAD_BYTES = 512 * 1024;
  private final Server server;

  private ApiServer(Server server) {
    this.server = server;
  }

  /**
   * Serves member on address (port 0 picks a free port; see {@link #port()}), recording every
   * call in {@code metrics}, with etcd's HTTP endpoints ({@code http}) on the same port; over TLS
   * when {@code tls} is not null (an https client URL: {@code TlsContexts.clientPortServer}), which
   * then also decides whether clients must present a certificate ({@code --client-cert-auth}).
   * Messages above {@code maxRequestBytes} plus etcd's 512 KiB of gRPC overhead are refused by
   * gRPC itself, as etcd sets its server's receive limit.
   */
  public static ApiServer start(InetSocketAddress address, MemberContext member, GrpcMetrics metrics,
      SslContext tls, long maxRequestBytes, EtcdHttp http) throws IOException {
    List<ServerServiceDefinition> services = List.of(
        new KvService(member).bindService(),
        new LeaseService(member).bindService(),
        new MaintenanceService(member).bindService(),
        new ClusterService(member).bindService(),
        new WatchService(member).bindService());
    metrics.preinitialize(services);
    NettyServerBuilder builder = NettyServerBuilder.forAddress(address,
            InternalNettyServerCredentials.create(new ClientPortNegotiator(tls, http)))
        .maxInboundMessageSize((int) Math.min(Integer.MAX_VALUE, maxRequestBytes + GRPC_OVERHEAD_BYTES))
        // Every handler only queues work for the raft loop and answers from a future, so it runs
        // on the event loop: one thread hand-off less per request, as grpc-java advises.
        .directExecutor();
    for (ServerServiceDefinition service : services) {
      builder.addService(ServerInterceptors.intercept(service, metrics));
    }
    Server server = builder.build().start();
    return new ApiServer(server);
  }

  public int port() {
    return server.getPort();
  }

  @Override
  public void close() throws InterruptedException {
    server.shutdownNow();
    server.awaitTermination(5, TimeUnit.SECONDS);
  }
}
