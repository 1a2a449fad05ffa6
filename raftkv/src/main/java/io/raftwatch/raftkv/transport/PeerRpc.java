package io.raftwatch.raftkv.transport;

import io.grpc.Drainable;
import io.grpc.KnownLength;
import io.grpc.MethodDescriptor;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;

/**
 * The peer gRPC service, described by hand so that no protoc step is needed: service {@code
 * raftkv.Peer} with a client stream of encoded messages, a client stream of snapshot chunks, a
 * unary ping, a unary members query (etcd's peer {@code /members}, which a joining member asks) and
 * a unary call that carries a lease request a follower forwards to the leader. Payloads are raw
 * bytes ({@link MessageCodec} frames, chunks, or what the members and lease handlers read).
 */
final class PeerRpc {
  static final String SERVICE = "raftkv.Peer";

  /** Snapshot chunk size: well under gRPC's default 4 MiB inbound limit. */
  static final int SNAPSHOT_CHUNK = 1 << 20;

  static final MethodDescriptor<byte[], byte[]> MESSAGES =
      method("Messages", MethodDescriptor.MethodType.CLIENT_STREAMING);
  static final MethodDescriptor<byte[], byte[]> SNAPSHOT =
      method("Snapshot", MethodDescriptor.MethodType.CLIENT_STREAMING);
  static final MethodDescriptor<byte[], byte[]> PING =
      method("Ping", MethodDescriptor.MethodType.UNARY);
  /** A request only the leader answers, forwarded by a follower (server.LeaderRequests). */
  static final MethodDescriptor<byte[], byte[]> LEADER =
      method("Leader", MethodDescriptor.MethodType.UNARY);

  static final MethodDescriptor<byte[], byte[]> MEMBERS =
      method("Members", MethodDescriptor.MethodType.UNARY);

  /** How a member refuses the messages of a member the cluster removed (FAILED_PRECONDITION). */
  static final String REMOVED = "the member has been permanently removed from the cluster";

  private PeerRpc() {}

  private static MethodDescriptor<byte[], byte[]> method(
      String name, MethodDescriptor.MethodType type) {
    return MethodDescriptor.<byte[], byte[]>newBuilder()
        .setType(type)
        .setFullMethodName(MethodDescriptor.generateFullMethodName(SERVICE, name))
        .setRequestMarshaller(BytesMarshaller.INSTANCE)
        .setResponseMarshaller(BytesMarshaller.INSTANCE)
        .build();
  }

  /**
   * Passes byte arrays through unchanged, without gRPC's generic copies: an outgoing array is
   * written straight to the frame ({@link Drainable}) rather than through an 8 KiB copy buffer,
   * and an incoming message of known length is read into an array of exactly that length rather
   * than through {@code readAllBytes}'s 16 KiB chunks. Both showed as most of a member's
   * allocation under load.
   */
  private enum BytesMarshaller implements MethodDescriptor.Marshaller<byte[]> {
    INSTANCE;

    @Override
    public InputStream stream(byte[] value) {
      return new ArrayStream(value);
    }

    @Override
    public byte[] parse(InputStream stream) {
      try {
        if (stream instanceof KnownLength) {
          byte[] value = new byte[stream.available()];
          if (stream.readNBytes(value, 0, value.length) == value.length) {
            return value;
          }
          throw new IOException("message shorter than its announced " + value.length + " bytes");
        }
        return stream.readAllBytes();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }

  /** An array as gRPC's framer takes it fastest: of known length, drained in one write. */
  private static final class ArrayStream extends ByteArrayInputStream
      implements KnownLength, Drainable {
    ArrayStream(byte[] value) {
      super(value);
    }

    @Override
    public int drainTo(OutputStream target) throws IOException {
      int n = available();
      target.write(buf, pos, n);
      pos = count;
      return n;
    }
  }
}
