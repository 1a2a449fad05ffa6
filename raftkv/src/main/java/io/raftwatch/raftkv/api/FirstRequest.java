package io.raftwatch.raftkv.api;

import io.grpc.netty.shaded.io.netty.buffer.ByteBuf;
import io.grpc.netty.shaded.io.netty.buffer.ByteBufUtil;
import io.grpc.netty.shaded.io.netty.buffer.Unpooled;
import io.grpc.netty.shaded.io.netty.handler.codec.http2.DefaultHttp2HeadersDecoder;
import io.grpc.netty.shaded.io.netty.handler.codec.http2.Http2CodecUtil;
import io.grpc.netty.shaded.io.netty.handler.codec.http2.Http2Exception;
import io.grpc.netty.shaded.io.netty.handler.codec.http2.Http2Headers;

/**
 * Tells from the first bytes of a client connection what it will speak, the way etcd's cmux does
 * on a shared client port: HTTP/1.x, or HTTP/2 whose first request is gRPC (its {@code
 * content-type} starts with {@code application/grpc}) or plain HTTP. Reads without consuming: the
 * bytes are replayed to whichever handler takes the connection. The header block is decoded with
 * a decoder of its own, which leaves the real one's HPACK state untouched.
 */
final class FirstRequest {
  enum Kind {
    NEED_MORE,
    HTTP1,
    GRPC,
    HTTP2
  }

  private static final ByteBuf PREFACE = Http2CodecUtil.connectionPrefaceBuf();
  static final int PREFACE_LENGTH = PREFACE.readableBytes();
  private static final int FRAME_HEADER = 9;
  private static final int HEADERS = 0x1;
  private static final int CONTINUATION = 0x9;
  private static final int END_HEADERS = 0x4;
  private static final int PADDED = 0x8;
  private static final int PRIORITY = 0x20;
  // A client that sends this much without a request is left to gRPC, whose errors are the protocol's.
  private static final int LIMIT = 64 * 1024;

  private FirstRequest() {}

  /** What the connection whose bytes so far are {@code in} speaks, or NEED_MORE to tell. */
  static Kind of(ByteBuf in) {
    int start = in.readerIndex();
    int prefix = Math.min(in.readableBytes(), PREFACE.readableBytes());
    if (!ByteBufUtil.equals(in, start, PREFACE, 0, prefix)) {
      return Kind.HTTP1;
    }
    if (prefix < PREFACE.readableBytes()) {
      return Kind.NEED_MORE;
    }
    ByteBuf block = null;
    int at = start + prefix;
    while (in.writerIndex() - at >= FRAME_HEADER) {
      int length = in.getUnsignedMedium(at);
      int type = in.getUnsignedByte(at + 3);
      int flags = in.getUnsignedByte(at + 4);
      int stream = in.getInt(at + 5) & Integer.MAX_VALUE;
      int payload = at + FRAME_HEADER;
      if (in.writerIndex() - payload < length) {
        break;
      }
      if (type == HEADERS && block == null) {
        int from = payload;
        int to = payload + length;
        if ((flags & PADDED) != 0) {
          to -= in.getUnsignedByte(from++);
        }
        if ((flags & PRIORITY) != 0) {
          from += 5;
        }
        if (to < from) {
          return Kind.GRPC; // malformed: gRPC's codec reports it
        }
        block = Unpooled.buffer().writeBytes(in, from, to - from);
      } else if (type == CONTINUATION && block != null) {
        block.writeBytes(in, payload, length);
      }
      if (block != null && (flags & END_HEADERS) != 0) {
        return kindOf(block, stream);
      }
      at = payload + length;
    }
    if (block != null) {
      block.release();
    }
    return in.readableBytes() > LIMIT ? Kind.GRPC : Kind.NEED_MORE;
  }

  private static Kind kindOf(ByteBuf block, int stream) {
    try {
      Http2Headers headers = new DefaultHttp2HeadersDecoder(false).decodeHeaders(stream, block);
      CharSequence type = headers.get("content-type");
      return type != null && type.toString().startsWith("application/grpc") ? Kind.GRPC : Kind.HTTP2;
    } catch (Http2Exception e) {
      return Kind.GRPC;
    } finally {
      block.release();
    }
  }
}
