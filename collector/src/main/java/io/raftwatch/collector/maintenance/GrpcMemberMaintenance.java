package io.raftwatch.collector.maintenance;

import io.etcd.jetcd.api.CompactionRequest;
import io.etcd.jetcd.api.DefragmentRequest;
import io.etcd.jetcd.api.KVGrpc;
import io.etcd.jetcd.api.MaintenanceGrpc;
import io.etcd.jetcd.api.StatusRequest;
import io.etcd.jetcd.api.StatusResponse;
import io.grpc.ChannelCredentials;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.StatusRuntimeException;
import io.grpc.TlsChannelCredentials;
import io.raftwatch.collector.scrape.ClientTls;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * A member's maintenance calls over its etcd v3 gRPC API (stubs from jetcd-grpc, transport
 * grpc-netty-shaded), with the cluster's client TLS: its CA, the client certificate etcd's {@code
 * --client-cert-auth} asks for, and its server-name override. One channel per member, opened
 * lazily by gRPC and closed by {@link #close()}. Thread-safe, as gRPC channels are.
 */
public final class GrpcMemberMaintenance implements MemberMaintenance {
  private final String member;
  private final URI url;
  private final Duration timeout;
  private final ManagedChannel channel;

  /**
   * @param url the member's client URL, {@code https://host:port} (or {@code http://})
   * @param tls the cluster's client TLS, already loaded and checked
   * @param timeout the deadline of each call
   */
  public GrpcMemberMaintenance(String member, URI url, ClientTls tls, Duration timeout) {
    this.member = member;
    this.url = url;
    this.timeout = timeout;
    int port = url.getPort() > 0 ? url.getPort() : 2379;
    ChannelCredentials credentials;
    if ("https".equalsIgnoreCase(url.getScheme())) {
      TlsChannelCredentials.Builder b = TlsChannelCredentials.newBuilder()
          .trustManager(tls.trustManager());
      if (!tls.keyManagers().isEmpty()) {
        b.keyManager(tls.keyManagers().toArray(new javax.net.ssl.KeyManager[0]));
      }
      credentials = b.build();
    } else {
      credentials = InsecureChannelCredentials.create();
    }
    ManagedChannelBuilder<?> builder = Grpc.newChannelBuilderForAddress(url.getHost(), port, credentials);
    tls.serverName().ifPresent(builder::overrideAuthority);
    this.channel = builder.build();
  }

  @Override
  public String member() {
    return member;
  }

  @Override
  public MemberStatus status() throws MaintenanceException {
    try {
      StatusResponse r = MaintenanceGrpc.newBlockingStub(channel)
          .withDeadlineAfter(timeout.toMillis(), TimeUnit.MILLISECONDS)
          .status(StatusRequest.getDefaultInstance());
      return new MemberStatus(member, r.getHeader().getMemberId(), r.getLeader(), r.getDbSize(),
          r.getDbSizeInUse(), r.getHeader().getRevision());
    } catch (StatusRuntimeException e) {
      throw failure("status", e);
    }
  }

  @Override
  public void defragment() throws MaintenanceException {
    try {
      MaintenanceGrpc.newBlockingStub(channel)
          .withDeadlineAfter(timeout.toMillis(), TimeUnit.MILLISECONDS)
          .defragment(DefragmentRequest.getDefaultInstance());
    } catch (StatusRuntimeException e) {
      throw failure("defragment", e);
    }
  }

  @Override
  public void compact(long revision) throws MaintenanceException {
    try {
      KVGrpc.newBlockingStub(channel)
          .withDeadlineAfter(timeout.toMillis(), TimeUnit.MILLISECONDS)
          .compact(CompactionRequest.newBuilder().setRevision(revision).setPhysical(true).build());
    } catch (StatusRuntimeException e) {
      throw failure("compact to revision " + revision, e);
    }
  }

  private MaintenanceException failure(String call, StatusRuntimeException e) {
    String why = e.getStatus().getCode() + (e.getStatus().getDescription() == null ? ""
        : ": " + e.getStatus().getDescription());
    return new MaintenanceException(member + " (" + url.getAuthority() + "): " + call + " failed: "
        + why, e);
  }

  @Override
  public void close() {
    channel.shutdownNow();
    try {
      channel.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
