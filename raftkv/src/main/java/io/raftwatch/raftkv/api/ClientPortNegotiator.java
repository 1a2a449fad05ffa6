package io.raftwatch.raftkv.api;

import io.grpc.Attributes;
import io.grpc.Grpc;
import io.grpc.InternalChannelz;
import io.grpc.SecurityLevel;
import io.grpc.internal.GrpcAttributes;
import io.grpc.netty.shaded.io.grpc.netty.GrpcHttp2ConnectionHandler;
import io.grpc.netty.shaded.io.grpc.netty.InternalProtocolNegotiationEvent;
import io.grpc.netty.shaded.io.grpc.netty.InternalProtocolNegotiator;
import io.grpc.netty.shaded.io.grpc.netty.InternalProtocolNegotiators;
import io.grpc.netty.shaded.io.grpc.netty.ProtocolNegotiationEvent;
import io.grpc.netty.shaded.io.netty.buffer.ByteBuf;
import io.grpc.netty.shaded.io.netty.buffer.Unpooled;
import io.grpc.netty.shaded.io.netty.channel.ChannelHandler;
import io.grpc.netty.shaded.io.netty.channel.ChannelHandlerContext;
import io.grpc.netty.shaded.io.netty.channel.ChannelInboundHandlerAdapter;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContext;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslHandler;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.grpc.netty.shaded.io.netty.util.AsciiString;
import javax.net.ssl.SSLSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves etcd's HTTP endpoints ({@link EtcdHttp}) and gRPC on one client port, as etcd's client
 * port does: the first bytes of a connection decide ({@link FirstRequest}, cmux's way). HTTP/1.x
 * goes to the HTTP handlers; HTTP/2 goes to gRPC when its first request is gRPC, and to the HTTP
 * handlers over HTTP/2 otherwise. Over TLS, ALPN offers h2 then http/1.1, as etcd does.
 *
 * <p>grpc-java has no public hook for sharing a port, so this plugs in through its internal
 * negotiator API exactly as its own TLS negotiator ({@code ProtocolNegotiators.ServerTlsHandler})
 * does; a connection handed to HTTP tells gRPC it is unused, which ends gRPC's interest in it.
 */
final class ClientPortNegotiator implements InternalProtocolNegotiator.ProtocolNegotiator {
  private static final Logger log = LoggerFactory.getLogger(ClientPortNegotiator.class);
  // An HTTP/2 frame header: length 0, type SETTINGS (4), no flags, stream 0.
  private static final byte[] EMPTY_SETTINGS = {0, 0, 0, 4, 0, 0, 0, 0, 0};

  private final SslContext tls;
  private final EtcdHttp http;

  /** @param tls the server context ({@code TlsContexts.clientPortServer}), or null for plain text */
  ClientPortNegotiator(SslContext tls, EtcdHttp http) {
    this.tls = tls;
    this.http = http;
  }

  @Override
  public AsciiString scheme() {
    return AsciiString.of(tls == null ? "http" : "https");
  }

  @Override
  public ChannelHandler newHandler(GrpcHttp2ConnectionHandler grpc) {
    return InternalProtocolNegotiators.waitUntilActiveHandler(new Router(grpc),
        grpc.getNegotiationLogger());
  }

  @Override
  public void close() {}

  /**
   * Holds gRPC's negotiation event and the connection's first bytes until its protocol is known,
   * then hands both to the handlers that speak it.
   */
  private final class Router extends ChannelInboundHandlerAdapter {
    private final GrpcHttp2ConnectionHandler grpc;
    private ProtocolNegotiationEvent event = InternalProtocolNegotiationEvent.getDefault();
    private SSLSession session;
    private ByteBuf seen;
    private boolean settingsSent;

    Router(GrpcHttp2ConnectionHandler grpc) {
      this.grpc = grpc;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
      if (tls != null) {
        ctx.pipeline().addBefore(ctx.name(), null, tls.newHandler(ctx.alloc()));
      }
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
      if (evt instanceof ProtocolNegotiationEvent pne) {
        event = pne;
      } else if (evt instanceof SslHandshakeCompletionEvent done) {
        if (!done.isSuccess()) {
          // etcd logs rejected clients at warn; the reason names no secret (no cert, unknown CA).
          log.warn("rejected connection from {}: {}", ctx.channel().remoteAddress(),
              done.cause().getMessage());
          ctx.close();
          return;
        }
        session = ctx.pipeline().get(SslHandler.class).engine().getSession();
      } else {
        super.userEventTriggered(ctx, evt);
      }
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      ByteBuf in = (ByteBuf) msg;
      seen = seen == null ? in : ctx.alloc().compositeBuffer().addComponents(true, seen, in);
      FirstRequest.Kind kind = FirstRequest.of(seen);
      if (kind == FirstRequest.Kind.NEED_MORE) {
        if (!settingsSent && seen.readableBytes() >= FirstRequest.PREFACE_LENGTH) {
          // An HTTP/2 client may wait for the server's SETTINGS before its first request (grpc-go
          // does), so send an empty one now, as cmux does. Whoever takes the connection sends
          // its own; Netty ignores the extra acknowledgement.
          settingsSent = true;
          ctx.writeAndFlush(Unpooled.wrappedBuffer(EMPTY_SETTINGS));
        }
        return;
      }
      ByteBuf first = seen;
      seen = null;
      switch (kind) {
        case GRPC -> toGrpc(ctx);
        case HTTP2 -> {
          grpc.notifyUnused();
          http.replaceWithHttp2(ctx);
        }
        default -> {
          grpc.notifyUnused();
          http.replace(ctx);
        }
      }
      ctx.fireChannelRead(first);
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
      if (seen != null) {
        seen.release();
        seen = null;
      }
    }

    private void toGrpc(ChannelHandlerContext ctx) {
      ProtocolNegotiationEvent pne = event;
      if (session != null) {
        Attributes attrs = InternalProtocolNegotiationEvent.getAttributes(pne).toBuilder()
            .set(GrpcAttributes.ATTR_SECURITY_LEVEL, SecurityLevel.PRIVACY_AND_INTEGRITY)
            .set(Grpc.TRANSPORT_ATTR_SSL_SESSION, session)
            .build();
        pne = InternalProtocolNegotiationEvent.withSecurity(
            InternalProtocolNegotiationEvent.withAttributes(pne, attrs),
            new InternalChannelz.Security(new InternalChannelz.Tls(session)));
      }
      ctx.pipeline().replace(ctx.name(), null,
          InternalProtocolNegotiators.grpcNegotiationHandler(grpc));
      ctx.fireUserEventTriggered(pne);
    }
  }
}
