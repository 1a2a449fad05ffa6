package io.raftwatch.raftkv.transport;

import io.grpc.CallOptions;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContext;
import io.grpc.stub.ClientCalls;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Asks a running member, at one of its peer URLs, for the cluster's member list, as a member
 * started with {@code --initial-cluster-state existing} does to learn its id and the cluster's
 * (etcd's {@code GetClusterFromRemotePeers}). Called once by the starting member's main thread.
 */
public final class RemoteMembers {
  private RemoteMembers() {}

  /**
   * The encoded member list the member at {@code peerUrl} answers; StatusRuntimeException when it
   * cannot be reached within {@code timeout} or refuses.
   */
  public static byte[] fetch(URI peerUrl, SslContext tls, Duration timeout) {
    ManagedChannel channel = GrpcTransport.channel(peerUrl, tls, TransportOptions.defaults());
    try {
      return ClientCalls.blockingUnaryCall(channel, PeerRpc.MEMBERS,
          CallOptions.DEFAULT.withDeadlineAfter(timeout.toMillis(), TimeUnit.MILLISECONDS),
          new byte[0]);
    } finally {
      channel.shutdownNow();
    }
  }
}
