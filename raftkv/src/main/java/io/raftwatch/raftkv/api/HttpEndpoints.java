package io.raftwatch.raftkv.api;

import io.grpc.netty.shaded.io.netty.bootstrap.ServerBootstrap;
import io.grpc.netty.shaded.io.netty.channel.Channel;
import io.grpc.netty.shaded.io.netty.channel.ChannelFuture;
import io.grpc.netty.shaded.io.netty.channel.ChannelInitializer;
import io.grpc.netty.shaded.io.netty.channel.EventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.MultiThreadIoEventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.nio.NioIoHandler;
import io.grpc.netty.shaded.io.netty.channel.socket.SocketChannel;
import io.grpc.netty.shaded.io.netty.channel.socket.nio.NioServerSocketChannel;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContext;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;

/**
 * A {@code --listen-metrics-urls} listener: {@link EtcdHttp}'s {@code /metrics} and {@code /health}
 * over HTTP/1.1, on one event loop thread. With an SSL context it is HTTPS, demanding a client
 * certificate if the context does, as etcd 3.4 serves an https metrics URL with the client TLS
 * settings.
 */
public final class HttpEndpoints implements AutoCloseable {
  private final EventLoopGroup group;
  private final Channel channel;

  private HttpEndpoints(EventLoopGroup group, Channel channel) {
    this.group = group;
    this.channel = channel;
  }

  /** @param tls the server context ({@code TlsContexts.httpServer}), or null for plain http */
  public static HttpEndpoints start(InetSocketAddress address, SslContext tls, EtcdHttp http)
      throws IOException {
    EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, r -> {
      Thread t = new Thread(r, "metrics-http");
      t.setDaemon(true);
      return t;
    }, NioIoHandler.newFactory());
    ServerBootstrap bootstrap = new ServerBootstrap()
        .group(group)
        .channel(NioServerSocketChannel.class)
        .childHandler(new ChannelInitializer<SocketChannel>() {
          @Override
          protected void initChannel(SocketChannel ch) {
            if (tls != null) {
              ch.pipeline().addLast(tls.newHandler(ch.alloc()));
            }
            http.append(ch.pipeline());
          }
        });
    ChannelFuture bound = bootstrap.bind(address).awaitUninterruptibly();
    if (!bound.isSuccess()) {
      group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
      throw new IOException(
          "cannot listen on " + address + ": " + bound.cause().getMessage(), bound.cause());
    }
    return new HttpEndpoints(group, bound.channel());
  }

  public int port() {
    return ((InetSocketAddress) channel.localAddress()).getPort();
  }

  @Override
  public void close() throws InterruptedException {
    channel.close().sync();
    group.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
  }
}
