package io.raftwatch.raftkv.api;

import io.grpc.netty.shaded.io.netty.buffer.Unpooled;
import io.grpc.netty.shaded.io.netty.channel.Channel;
import io.grpc.netty.shaded.io.netty.channel.ChannelHandler;
import io.grpc.netty.shaded.io.netty.channel.ChannelHandlerContext;
import io.grpc.netty.shaded.io.netty.channel.ChannelInboundHandlerAdapter;
import io.grpc.netty.shaded.io.netty.channel.ChannelInitializer;
import io.grpc.netty.shaded.io.netty.channel.ChannelPipeline;
import io.grpc.netty.shaded.io.netty.channel.SimpleChannelInboundHandler;
import io.grpc.netty.shaded.io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.grpc.netty.shaded.io.netty.handler.codec.http.FullHttpRequest;
import io.grpc.netty.shaded.io.netty.handler.codec.http.FullHttpResponse;
import io.grpc.netty.shaded.io.netty.handler.codec.http.HttpContentCompressor;
import io.grpc.netty.shaded.io.netty.handler.codec.http.HttpHeaderNames;
import io.grpc.netty.shaded.io.netty.handler.codec.http.HttpMethod;
import io.grpc.netty.shaded.io.netty.handler.codec.http.HttpObjectAggregator;
import io.grpc.netty.shaded.io.netty.handler.codec.http.HttpResponseStatus;
import io.grpc.netty.shaded.io.netty.handler.codec.http.HttpServerCodec;
import io.grpc.netty.shaded.io.netty.handler.codec.http.HttpServerKeepAliveHandler;
import io.grpc.netty.shaded.io.netty.handler.codec.http.HttpUtil;
import io.grpc.netty.shaded.io.netty.handler.codec.http.HttpVersion;
import io.grpc.netty.shaded.io.netty.handler.codec.http.QueryStringDecoder;
import io.grpc.netty.shaded.io.netty.handler.codec.http2.Http2FrameCodecBuilder;
import io.grpc.netty.shaded.io.netty.handler.codec.http2.Http2MultiplexHandler;
import io.grpc.netty.shaded.io.netty.handler.codec.http2.Http2StreamFrameToHttpObjectCodec;
import io.grpc.netty.shaded.io.netty.util.ReferenceCountUtil;
import io.prometheus.client.CollectorRegistry;
import io.prometheus.client.Predicate;
import io.prometheus.client.exporter.common.TextFormat;
import io.raftwatch.raftkv.EtcdRelease;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * etcd's HTTP answers, the same on the client port (beside gRPC) and on a metrics port: {@code
 * /metrics} (Prometheus text 0.0.4, gzipped when asked), {@code /health} (etcd 3.4's JSON; {@code
 * "false"} with status 503 when the member is unhealthy) and, on the client port only, {@code
 * /version}, as etcd 3.4 serves them. Anything else is Go's 404. Stateless: one instance serves
 * every connection of a member.
 */
public final class EtcdHttp {
  static final String VERSION = "{\"etcdserver\":\"" + EtcdRelease.SERVER
      + "\",\"etcdcluster\":\"" + EtcdRelease.CLUSTER + "\"}";
  /**
   * The Prometheus client writes a {@code _created} gauge beside every counter and histogram (an
   * OpenMetrics timestamp, switched off only by an environment variable); etcd exposes none, and
   * no etcd metric name ends so, so they are left out of the scrape.
   */
  private static final Predicate<String> ETCD_SAMPLES = name -> !name.endsWith("_created");
  // Requests here are bodiless GETs; anything larger is refused with 413 by the aggregator.
  private static final int MAX_REQUEST_BYTES = 64 * 1024;

  private final CollectorRegistry registry;
  private final Supplier<CompletableFuture<Boolean>> health;
  private final HealthCounts counts = new HealthCounts();

  /**
   * @param registry what {@code /metrics} shows, besides the health check counters
   * @param health the member's health check, as etcd 3.4's {@code /health} makes it
   */
  public EtcdHttp(CollectorRegistry registry, Supplier<CompletableFuture<Boolean>> health) {
    this.registry = registry;
    this.health = health;
  }

  /**
   * Puts the HTTP/1.1 handlers of the client port where the handler of {@code ctx} is and removes
   * that handler, so that whatever it reads next is served as HTTP.
   */
  void replace(ChannelHandlerContext ctx) {
    ChannelHandler[] handlers = http1(true);
    // Each addAfter lands right after ctx's handler: added last-to-first.
    for (int i = handlers.length - 1; i >= 0; i--) {
      ctx.pipeline().addAfter(ctx.name(), null, handlers[i]);
    }
    ctx.pipeline().remove(ctx.name());
  }

  /**
   * Puts an HTTP/2 server where the handler of {@code ctx} is and removes that handler: each
   * stream is answered as a request on the client port.
   */
  void replaceWithHttp2(ChannelHandlerContext ctx) {
    ChannelPipeline p = ctx.pipeline();
    String at = ctx.name();
    // The multiplexer finds the frame codec when added: the codec goes in first.
    p.addAfter(at, "http2-frames", Http2FrameCodecBuilder.forServer().build());
    p.addAfter("http2-frames", "http2-streams", new Http2MultiplexHandler(
        new ChannelInitializer<Channel>() {
          @Override
          protected void initChannel(Channel stream) {
            stream.pipeline().addLast(new Http2StreamFrameToHttpObjectCodec(true),
                new HttpContentCompressor(), new HttpObjectAggregator(MAX_REQUEST_BYTES),
                new Responder(true));
          }
        }));
    // Connection-level frames (SETTINGS, PING, ...) come out of the multiplexer: they are the
    // codec's business, and must not reach the handlers after these (gRPC's, which would close).
    p.addAfter("http2-streams", null, new ConnectionFrameSink());
    p.remove(at);
  }

  /** Drops what the HTTP/2 multiplexer passes on: frames of the connection, not of a stream. */
  private static final class ConnectionFrameSink extends ChannelInboundHandlerAdapter {
    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      ReferenceCountUtil.release(msg);
    }
  }

  /** Appends the HTTP/1.1 handlers of a metrics port to a new connection's pipeline. */
  void append(ChannelPipeline p) {
    p.addLast(http1(false));
  }

  /** One HTTP/1.1 connection's handlers, in pipeline order ({@code clientPort}: /version too). */
  private ChannelHandler[] http1(boolean clientPort) {
    return new ChannelHandler[] {new HttpServerCodec(), new HttpServerKeepAliveHandler(),
        new HttpContentCompressor(), new HttpObjectAggregator(MAX_REQUEST_BYTES),
        new Responder(clientPort)};
  }

  private CompletableFuture<FullHttpResponse> answer(FullHttpRequest request, boolean clientPort) {
    if (!request.decoderResult().isSuccess()) {
      return done(reply(HttpResponseStatus.BAD_REQUEST, "text/plain; charset=utf-8",
          "400 Bad Request"));
    }
    String path = new QueryStringDecoder(request.uri()).path();
    if (path.equals("/metrics")) {
      StringWriter body = new StringWriter();
      try {
        TextFormat.write004(body, registry.filteredMetricFamilySamples(ETCD_SAMPLES));
        counts.write(body);
      } catch (IOException e) {
        throw new UncheckedIOException(e); // a StringWriter does not fail
      }
      return done(reply(HttpResponseStatus.OK, TextFormat.CONTENT_TYPE_004, body.toString()));
    }
    boolean readOnly = request.method().equals(HttpMethod.GET) || request.method().equals(HttpMethod.HEAD);
    if ((path.equals("/health") || clientPort && path.equals("/version")) && !readOnly) {
      // etcd's health and version handlers answer GET only; promhttp's /metrics any method.
      FullHttpResponse r = reply(HttpResponseStatus.METHOD_NOT_ALLOWED, "text/plain; charset=utf-8",
          "Method Not Allowed\n");
      r.headers().set(HttpHeaderNames.ALLOW, "GET");
      return done(r);
    }
    if (path.equals("/health")) {
      return health.get().exceptionally(failure -> false).thenApply(ok -> {
        counts.record(ok);
        return reply(ok ? HttpResponseStatus.OK : HttpResponseStatus.SERVICE_UNAVAILABLE,
            "application/json", "{\"health\":\"" + ok + "\"}");
      });
    }
    if (clientPort && path.equals("/version")) {
      return done(reply(HttpResponseStatus.OK, "application/json", VERSION));
    }
    return done(reply(HttpResponseStatus.NOT_FOUND, "text/plain; charset=utf-8",
        "404 page not found\n"));
  }

  private static CompletableFuture<FullHttpResponse> done(FullHttpResponse r) {
    return CompletableFuture.completedFuture(r);
  }

  private static FullHttpResponse reply(HttpResponseStatus status, String type, String body) {
    FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status,
        Unpooled.wrappedBuffer(body.getBytes(StandardCharsets.UTF_8)));
    r.headers().set(HttpHeaderNames.CONTENT_TYPE, type);
    HttpUtil.setContentLength(r, r.content().readableBytes());
    return r;
  }

  /**
   * Answers each aggregated request on the connection, in request order even when a health check
   * answers later than the request after it; the keep-alive handler decides closing.
   */
  private final class Responder extends SimpleChannelInboundHandler<FullHttpRequest> {
    private final boolean clientPort;
    private CompletableFuture<?> previous = CompletableFuture.completedFuture(null);

    Responder(boolean clientPort) {
      this.clientPort = clientPort;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
      boolean head = request.method().equals(HttpMethod.HEAD);
      // ctx, not the channel: on the client port gRPC's write buffer sits further down the
      // pipeline and would hold a channel-level write forever. Netty runs writes from other
      // threads (a health check completing on the raft loop) on the event loop.
      previous = previous.thenCombine(answer(request, clientPort), (x, response) -> {
        if (head) {
          response.content().clear();
        }
        return ctx.writeAndFlush(response);
      });
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      ctx.close(); // a reset or a broken request: nothing to answer
    }
  }

  /**
   * etcd 3.4's {@code etcd_server_health_success} and {@code etcd_server_health_failures}:
   * counters of {@code /health} answers, named without {@code _total} as etcd names them, which
   * the Prometheus client's writer would append; so they are written here.
   */
  private static final class HealthCounts {
    private final AtomicLong success = new AtomicLong();
    private final AtomicLong failures = new AtomicLong();

    void record(boolean ok) {
      (ok ? success : failures).incrementAndGet();
    }

    void write(Writer out) throws IOException {
      family(out, "etcd_server_health_failures", "The total number of failed health checks",
          failures.get());
      family(out, "etcd_server_health_success", "The total number of successful health checks",
          success.get());
    }

    private static void family(Writer out, String name, String help, long value)
        throws IOException {
      out.write("# HELP " + name + " " + help + "\n# TYPE " + name + " counter\n" + name + " "
          + (double) value + "\n");
    }
  }
}
