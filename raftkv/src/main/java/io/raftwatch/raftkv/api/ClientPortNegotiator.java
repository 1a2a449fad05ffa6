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
import io.grpc.netty.shaded.io.netty.buffer.ByteBufUtil;
import io.grpc.netty.shaded.io.netty.channel.ChannelHandler;
import io.grpc.netty.shaded.io.netty.channel.ChannelHandlerContext;
import io.grpc.netty.shaded.io.netty.channel.ChannelInboundHandlerAdapter;
import io.grpc.netty.shaded.io.netty.handler.codec.http2.Http2CodecUtil;
import io.grpc.netty.shaded.io.netty.handler.ssl.ApplicationProtocolNames;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContext;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslHandler;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.grpc.netty.shaded.io.netty.util.AsciiString;
import javax.net.ssl.SSLSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves HTTP/1.1 ({@link EtcdHttp}) and gRPC on one client port, as etcd's client port does with
 * cmux. Over TLS the ALPN protocol decides: the server's list prefers http/1.1, so curl and
 * Prometheus (which offer both) get HTTP/1.1 while gRPC clients (which offer only h2) get gRPC. In
 * plain text the first bytes decide: HTTP/2's connection preface, or an HTTP/1 request line.
 *
 * <p>grpc-java has no public hook for sharing a port, so this plugs in through its internal
 * negotiator API exactly as its own TLS negotiator ({@code ProtocolNegotiators.ServerTlsHandler})
 * does; a connection handed to HTTP tells gRPC it is unused, which ends gRPC's interest in it.
 */
final class ClientPortNegotiator implements InternalProtocolNegotiator.ProtocolNegotiator {
  private static final Logger log = LoggerFactory.getLogger(ClientPortNegotiator.class);
  private static final ByteBuf PREFACE = Http2CodecUtil.connectionPrefaceBuf();

  private final SslContext tls;
  private final EtcdHttp http;

  /** @param tls the server context with ALPN http/1.1 then h2, or null for plain text */
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
    ChannelHandler router = tls == null ? new PlainRouter(grpc) : new TlsRouter(grpc);
    return InternalProtocolNegotiators.waitUntilActiveHandler(router, grpc.getNegotiationLogger());
  }

  @Override
  public void close() {}

  /** Holds gRPC's negotiation event until the connection's protocol is known, then routes. */
  private abstract class Router extends ChannelInboundHandlerAdapter {
    private final GrpcHttp2ConnectionHandler grpc;
    private ProtocolNegotiationEvent event = InternalProtocolNegotiationEvent.getDefault();

    Router(GrpcHttp2ConnectionHandler grpc) {
      this.grpc = grpc;
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
      if (evt instanceof ProtocolNegotiationEvent pne) {
        event = pne;
      } else {
        super.userEventTriggered(ctx, evt);
      }
    }

    void toGrpc(ChannelHandlerContext ctx, SSLSession session) {
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
      ctx.pipeline().replace(ctx.name(), null, InternalProtocolNegotiators.grpcNegotiationHandler(grpc));
      ctx.fireUserEventTriggered(pne);
    }

    void toHttp(ChannelHandlerContext ctx) {
      grpc.notifyUnused();
      http.replace(ctx, true);
    }
  }

  private final class TlsRouter extends Router {
    TlsRouter(GrpcHttp2ConnectionHandler grpc) {
      super(grpc);
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
      ctx.pipeline().addBefore(ctx.name(), null, tls.newHandler(ctx.alloc()));
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
      if (!(evt instanceof SslHandshakeCompletionEvent done)) {
        super.userEventTriggered(ctx, evt);
      } else if (!done.isSuccess()) {
        // etcd logs rejected clients at warn; the reason names no secret (no cert, unknown CA).
        log.warn("rejected connection from {}: {}", ctx.channel().remoteAddress(),
            done.cause().getMessage());
        ctx.close();
      } else {
        SslHandler ssl = ctx.pipeline().get(SslHandler.class);
        if (ApplicationProtocolNames.HTTP_2.equals(ssl.applicationProtocol())) {
          toGrpc(ctx, ssl.engine().getSession());
        } else {
          toHttp(ctx);
        }
      }
    }
  }

  private final class PlainRouter extends Router {
    private ByteBuf seen;

    PlainRouter(GrpcHttp2ConnectionHandler grpc) {
      super(grpc);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      ByteBuf in = (ByteBuf) msg;
      seen = seen == null ? in : ctx.alloc().compositeBuffer().addComponents(true, seen, in);
      int n = Math.min(seen.readableBytes(), PREFACE.readableBytes());
      boolean preface = ByteBufUtil.equals(seen, seen.readerIndex(), PREFACE, 0, n);
      if (preface && n < PREFACE.readableBytes()) {
        return; // too few bytes yet to tell
      }
      ByteBuf first = seen;
      seen = null;
      if (preface) {
        toGrpc(ctx, null);
      } else {
        toHttp(ctx);
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
  }
}
