package io.raftwatch.raftkv.api;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.netty.shaded.io.netty.buffer.ByteBuf;
import io.grpc.netty.shaded.io.netty.buffer.Unpooled;
import io.grpc.netty.shaded.io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.grpc.netty.shaded.io.netty.handler.codec.http2.DefaultHttp2HeadersEncoder;
import io.grpc.netty.shaded.io.netty.handler.codec.http2.Http2CodecUtil;
import io.grpc.netty.shaded.io.netty.handler.codec.http2.Http2Headers;
import org.junit.jupiter.api.Test;

/** What a connection speaks, told from its first bytes as they arrive, as cmux tells it. */
class FirstRequestTest {
  private static final int SETTINGS = 0x4;
  private static final int WINDOW_UPDATE = 0x8;
  private static final int HEADERS = 0x1;
  private static final int CONTINUATION = 0x9;
  private static final int END_HEADERS = 0x4;
  private static final int PADDED = 0x8;
  private static final int PRIORITY = 0x20;

  @Test
  void anHttp1RequestLineIsHttp1FromItsFirstByte() {
    assertThat(FirstRequest.of(ascii("GET /metrics HTTP/1.1\r\n"))).isEqualTo(FirstRequest.Kind.HTTP1);
    assertThat(FirstRequest.of(ascii("G"))).isEqualTo(FirstRequest.Kind.HTTP1);
    // "P" and "PRI" could still be HTTP/2's preface; "PUT" cannot.
    assertThat(FirstRequest.of(ascii("PRI"))).isEqualTo(FirstRequest.Kind.NEED_MORE);
    assertThat(FirstRequest.of(ascii("PUT /health HTTP/1.1\r\n"))).isEqualTo(FirstRequest.Kind.HTTP1);
  }

  @Test
  void http2IsToldByItsFirstRequestsContentType() throws Exception {
    ByteBuf grpc = connection(headers("application/grpc+proto"));
    ByteBuf http = connection(headers(null));
    assertThat(FirstRequest.of(grpc)).isEqualTo(FirstRequest.Kind.GRPC);
    assertThat(FirstRequest.of(http)).isEqualTo(FirstRequest.Kind.HTTP2);
    // Byte by byte, the answer waits for the whole header block and never changes the buffer.
    for (int n = 0; n < grpc.readableBytes(); n++) {
      ByteBuf prefix = grpc.slice(0, n);
      assertThat(FirstRequest.of(prefix)).as("after %d bytes", n)
          .isIn(FirstRequest.Kind.NEED_MORE, FirstRequest.Kind.GRPC);
      assertThat(prefix.readerIndex()).isZero();
    }
    assertThat(FirstRequest.of(grpc.slice(0, grpc.readableBytes() - 1)))
        .isEqualTo(FirstRequest.Kind.NEED_MORE);
  }

  @Test
  void aHeaderBlockSplitIntoContinuationsOrPaddedIsReadWhole() throws Exception {
    byte[] block = headers("application/grpc");
    int half = block.length / 2;
    ByteBuf split = preface();
    frame(split, HEADERS, 0, slice(block, 0, half));
    frame(split, CONTINUATION, END_HEADERS, slice(block, half, block.length));
    assertThat(FirstRequest.of(split)).isEqualTo(FirstRequest.Kind.GRPC);

    ByteBuf padded = preface();
    byte[] payload = new byte[1 + 5 + block.length + 3];
    payload[0] = 3; // pad length
    System.arraycopy(block, 0, payload, 6, block.length); // after 5 bytes of priority
    frame(padded, HEADERS, END_HEADERS | PADDED | PRIORITY, payload);
    assertThat(FirstRequest.of(padded)).isEqualTo(FirstRequest.Kind.GRPC);
  }

  private static ByteBuf connection(byte[] headerBlock) {
    ByteBuf b = preface();
    frame(b, HEADERS, END_HEADERS, headerBlock);
    return b;
  }

  /** The client preface, an empty SETTINGS and a WINDOW_UPDATE, as clients open. */
  private static ByteBuf preface() {
    ByteBuf b = Unpooled.buffer().writeBytes(Http2CodecUtil.connectionPrefaceBuf());
    frame(b, SETTINGS, 0, new byte[0]);
    frame(b, WINDOW_UPDATE, 0, new byte[] {0, 0x0f, 0, 1});
    return b;
  }

  private static void frame(ByteBuf b, int type, int flags, byte[] payload) {
    b.writeMedium(payload.length).writeByte(type).writeByte(flags)
        .writeInt(type == HEADERS || type == CONTINUATION ? 1 : 0).writeBytes(payload);
  }

  private static byte[] headers(String contentType) throws Exception {
    Http2Headers h = new DefaultHttp2Headers().method("POST").scheme("https")
        .path("/etcdserverpb.KV/Put").authority("127.0.0.1:2379");
    if (contentType != null) {
      h.add("content-type", contentType);
    }
    ByteBuf out = Unpooled.buffer();
    new DefaultHttp2HeadersEncoder().encodeHeaders(1, h, out);
    byte[] bytes = new byte[out.readableBytes()];
    out.readBytes(bytes);
    return bytes;
  }

  private static byte[] slice(byte[] b, int from, int to) {
    return java.util.Arrays.copyOfRange(b, from, to);
  }

  private static ByteBuf ascii(String s) {
    return Unpooled.wrappedBuffer(s.getBytes(US_ASCII));
  }
}
