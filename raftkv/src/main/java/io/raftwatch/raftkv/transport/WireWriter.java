package io.raftwatch.raftkv.transport;

import java.util.Arrays;

/** Growable byte buffer with varint and length-prefixed writes, used by {@link MessageCodec}. */
final class WireWriter {
  private byte[] buf;
  private int size;

  WireWriter(int capacity) {
    buf = new byte[capacity];
  }

  void writeByte(int b) {
    ensure(1);
    buf[size++] = (byte) b;
  }

  void writeBoolean(boolean b) {
    writeByte(b ? 1 : 0);
  }

  /** Unsigned LEB128 of the raw 64 bits: ids and indexes are never negative, so they stay short. */
  void writeVarint(long v) {
    ensure(10);
    while ((v & ~0x7FL) != 0) {
      buf[size++] = (byte) ((v & 0x7F) | 0x80);
      v >>>= 7;
    }
    buf[size++] = (byte) v;
  }

  void writeBytes(byte[] b) {
    writeVarint(b.length);
    ensure(b.length);
    System.arraycopy(b, 0, buf, size, b.length);
    size += b.length;
  }

  /** Length + 1, so that 0 stands for null: the core distinguishes "no context" from empty. */
  void writeNullableBytes(byte[] b) {
    if (b == null) {
      writeVarint(0);
      return;
    }
    writeVarint(b.length + 1L);
    ensure(b.length);
    System.arraycopy(b, 0, buf, size, b.length);
    size += b.length;
  }

  byte[] toByteArray() {
    return Arrays.copyOf(buf, size);
  }

  private void ensure(int more) {
    if (size + more > buf.length) {
      buf = Arrays.copyOf(buf, Math.max(buf.length * 2, size + more));
    }
  }
}
