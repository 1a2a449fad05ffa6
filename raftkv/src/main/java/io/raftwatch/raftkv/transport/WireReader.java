package io.raftwatch.raftkv.transport;

import java.util.Arrays;

/** Bounds-checked reader of what {@link MessageCodec} wrote; every overrun is a clear error. */
final class WireReader {
  private final byte[] buf;
  private int pos;

  WireReader(byte[] buf) {
    this.buf = buf;
  }

  int readByte() {
    need(1, "byte");
    return buf[pos++] & 0xFF;
  }

  boolean readBoolean() {
    int b = readByte();
    if (b > 1) {
      throw new MalformedMessageException("bad boolean " + b + " at offset " + (pos - 1));
    }
    return b == 1;
  }

  long readVarint() {
    long v = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      int b = readByte();
      v |= (long) (b & 0x7F) << shift;
      if ((b & 0x80) == 0) {
        return v;
      }
    }
    throw new MalformedMessageException("varint longer than 10 bytes at offset " + pos);
  }

  /** A count or length, which must fit in what is left of the buffer. */
  int readCount() {
    long n = readVarint();
    if (n < 0 || n > buf.length - pos) {
      throw new MalformedMessageException("count " + n + " exceeds the message at offset " + pos);
    }
    return (int) n;
  }

  byte[] readBytes() {
    int n = readCount();
    return take(n);
  }

  byte[] readNullableBytes() {
    long n = readVarint();
    if (n == 0) {
      return null;
    }
    if (n - 1 > buf.length - pos) {
      throw new MalformedMessageException("length " + (n - 1) + " exceeds the message");
    }
    return take((int) (n - 1));
  }

  void expectEnd() {
    if (pos != buf.length) {
      throw new MalformedMessageException((buf.length - pos) + " trailing bytes after message");
    }
  }

  private byte[] take(int n) {
    need(n, "bytes");
    byte[] out = Arrays.copyOfRange(buf, pos, pos + n);
    pos += n;
    return out;
  }

  private void need(int n, String what) {
    if (buf.length - pos < n) {
      throw new MalformedMessageException(
          "truncated peer message: " + what + " at offset " + pos + " of " + buf.length);
    }
  }
}
