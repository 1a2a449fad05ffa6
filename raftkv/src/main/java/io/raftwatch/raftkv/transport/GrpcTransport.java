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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link Transport} between members over gRPC: one {@link PeerSender} (queue, thread, channel)
 * per peer. {@link #send} and {@link #updatePeers} are called by the raft loop thread and never
 * block; {@link #connected} from any thread. Built and closed by the server's main thread; pair it
 * with a {@link PeerServer} for the inbound side.
 */
public final class GrpcTransport implements Transport, AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(GrpcTransport.class);

  private final Map<Long, Peer> peers = new ConcurrentHashMap<>();
  private final SslContext tls;
  private final Feedback feedback;
  private final PeerMetrics metrics;
  private final TransportOptions options;

  private record Peer(URI url, ManagedChannel channel, PeerSender sender) {
    void close() throws InterruptedException {
      sender.close();
      channel.shutdownNow();
      channel.awaitTermination(5, TimeUnit.SECONDS);
    }
  }

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
    this.tls = tls;
    this.feedback = feedback;
    this.metrics = metrics;
    this.options = options;
    peers.forEach(this::connect);
  }

  private void connect(long id, URI url) {
    ManagedChannel channel = channel(url, tls, options);
    peers.put(id, new Peer(url, channel, new PeerSender(id, channel, options, feedback, metrics)));
  }

  /**
   * Makes the peers exactly {@code wanted}: connects to new ones, reconnects to those whose URL
   * changed, and forgets those gone (closed on a separate thread, so the caller never waits).
   */
  public void updatePeers(Map<Long, URI> wanted) {
    List<Peer> gone = new ArrayList<>();
    for (Map.Entry<Long, Peer> p : peers.entrySet()) {
      URI url = wanted.get(p.getKey());
      if (url == null || !url.equals(p.getValue().url())) {
        gone.add(p.getValue());
        peers.remove(p.getKey());
        log.info("peer {} removed{}", PeerMetrics.hex(p.getKey()), url == null ? "" : "; now at " + url);
      }
    }
    wanted.forEach((id, url) -> {
      if (!peers.containsKey(id)) {
        connect(id, url);
        log.info("peer {} added at {}", PeerMetrics.hex(id), url);
      }
    });
    if (!gone.isEmpty()) {
      Thread closer = new Thread(() -> gone.forEach(GrpcTransport::closeQuietly), "peer-closer");
      closer.setDaemon(true);
      closer.start();
    }
  }

  /** Whether the connection to {@code peer} works now (etcd's "active" peer). */
  public boolean connected(long peer) {
    Peer p = peers.get(peer);
    return p != null && p.sender().active();
  }

  private static void closeQuietly(Peer p) {
    try {
      p.close();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  static ManagedChannel channel(URI url, SslContext tls, TransportOptions options) {
    NettyChannelBuilder builder =
        NettyChannelBuilder.forAddress(url.getHost(), url.getPort())
            .maxInboundMessageSize(options.maxMessageBytes())
            // Callbacks only complete futures and wake the sender: no executor hand-off needed.
            .directExecutor();
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
      Peer peer = peers.get(m.to());
      if (peer == null) {
        log.debug(
            "no peer {} to send {} to", PeerMetrics.hex(m.to()), m.getClass().getSimpleName());
        if (m instanceof Message.InstallSnapshot) {
          feedback.snapshotDelivered(m.to(), false);
        }
        feedback.dropped(m);
        continue;
      }
      peer.sender().offer(m);
    }
  }

  /**
   * Sends a leader-only request to peer (the leader) over the peer connection and completes with its
   * answer; fails when the peer is unknown, unreachable or answers with an error. Any thread.
   */
  public CompletableFuture<byte[]> forwardToLeader(long peer, byte[] request, Duration timeout) {
    Peer p = peers.get(peer);
    if (p == null) {
      return CompletableFuture.failedFuture(
          new IllegalStateException("no peer " + PeerMetrics.hex(peer)));
    }
    CompletableFuture<byte[]> answer = new CompletableFuture<>();
    ClientCalls.asyncUnaryCall(
        p.channel().newCall(PeerRpc.LEADER,
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
    for (Peer p : peers.values()) {
      p.close();
    }
    peers.clear();
  }
}
