package io.raftwatch.raftkv.transport;

import io.grpc.CallOptions;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContext;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.StreamObserver;
import io.raftwatch.raftkv.raft.Message;
import java.net.URI;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link Transport} between members over gRPC: one {@link PeerSender} (queue, thread, channel)
 * per peer. {@link #send} is called by the raft loop thread and never blocks. Built and closed by
 * the server's main thread; pair it with a {@link PeerServer} for the inbound side.
 */
public final class GrpcTransport implements Transport, AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(GrpcTransport.class);

  private final Map<Long, PeerSender> senders = new HashMap<>();
  private final Map<Long, ManagedChannel> channels = new HashMap<>();
  private final Feedback feedback;

  /**
   * @param peers each peer's id and peer URL ({@code https://host:port} or {@code http://...})
   * @param tls the client TLS context for https peers (presenting this member's certificate), or
   *     null when every peer URL is http
   */
  public GrpcTransport(
      Map<Long, URI> peers,
      SslContext tls,
      Feedback feedback,
      PeerMetrics metrics,
      TransportOptions options) {
    this.feedback = feedback;
    peers.forEach(
        (id, url) -> {
          ManagedChannel channel = channel(url, tls, options);
          channels.put(id, channel);
          senders.put(id, new PeerSender(id, channel, options, feedback, metrics));
        });
  }

  private static ManagedChannel channel(URI url, SslContext tls, TransportOptions options) {
    NettyChannelBuilder builder =
        NettyChannelBuilder.forAddress(url.getHost(), url.getPort())
            .maxInboundMessageSize(options.maxMessageBytes());
    if ("https".equals(url.getScheme())) {
      if (tls == null) {
        throw new IllegalArgumentException("peer URL " + url + " is https but no peer TLS is set");
      }
      builder.sslContext(tls);
    } else {
      builder.usePlaintext();
    }
    return builder.build();
  }

  @Override
  public void send(List<Message> messages) {
    for (Message m : messages) {
      PeerSender sender = senders.get(m.to());
      if (sender == null) {
        log.debug(
            "no peer {} to send {} to", PeerMetrics.hex(m.to()), m.getClass().getSimpleName());
        if (m instanceof Message.InstallSnapshot) {
          feedback.snapshotDelivered(m.to(), false);
        }
        feedback.dropped(m);
        continue;
      }
      sender.offer(m);
    }
  }

  /**
   * Sends a lease request to peer (the leader) over the peer connection and completes with its
   * answer; fails when the peer is unknown, unreachable or answers with an error. Any thread.
   */
  public CompletableFuture<byte[]> forwardLease(long peer, byte[] request, Duration timeout) {
    ManagedChannel channel = channels.get(peer);
    if (channel == null) {
      return CompletableFuture.failedFuture(
          new IllegalStateException("no peer " + PeerMetrics.hex(peer)));
    }
    CompletableFuture<byte[]> answer = new CompletableFuture<>();
    ClientCalls.asyncUnaryCall(
        channel.newCall(PeerRpc.LEASE,
            CallOptions.DEFAULT.withDeadlineAfter(timeout.toMillis(), TimeUnit.MILLISECONDS)),
        request,
        new StreamObserver<>() {
          @Override
          public void onNext(byte[] value) {
            answer.complete(value);
          }

          @Override
          public void onError(Throwable t) {
            answer.completeExceptionally(t);
          }

          @Override
          public void onCompleted() {
            answer.completeExceptionally(new IllegalStateException("no answer"));
          }
        });
    return answer;
  }

  @Override
  public void close() throws InterruptedException {
    for (PeerSender s : senders.values()) {
      s.close();
    }
    for (ManagedChannel c : channels.values()) {
      c.shutdownNow();
      c.awaitTermination(5, TimeUnit.SECONDS);
    }
  }
}
