package io.raftwatch.raftkv.transport;

/**
 * Varint and length-prefixed writes for {@link MessageCodec}, in two modes: a counting writer only
 * adds up the encoded size, and a writer of that exact size then fills an array that needs neither
 * growing nor a final trimming copy. Peer messages are the bulk of a leader's allocation under
 * load, so each is encoded into exactly one array.
 */
final class WireWriter {
  private final byte[] buf; // null when counting
  private int size;

  private WireWriter(byte[] buf) {
    this.buf = buf;
  }

  static WireWriter counting() {
    return new WireWriter(null);
  }

  static WireWriter exact(int size) {
    return new WireWriter(new byte[size]);
  }

  /** The bytes written (or counted) so far. */
  int size() {
    return size;
  }

  /** The filled array; only for a writer made by {@link #exact} and written to its end. */
  byte[] array() {
    if (buf == null || size != buf.length) {
      throw new IllegalStateException(
          "wrote " + size + " bytes into a writer of " + (buf == null ? "no" : buf.length));
    }
    return buf;
  }

  void writeByte(int b) {
    if (buf != null) {
      buf[size] = (byte) b;
    }
    size++;
  }

  void writeBoolean(boolean b) {
    writeByte(b ? 1 : 0);
  }

  /** Unsigned LEB128 of the raw 64 bits: ids and indexes are never negative, so they stay short. */
  void writeVarint(long v) {
    while ((v & ~0x7FL) != 0) {
      writeByte((int) ((v & 0x7F) | 0x80));
      v >>>= 7;
    }
    writeByte((int) v);
  }

  void writeBytes(byte[] b) {
    writeVarint(b.length);
    writeRaw(b);
  }

  /** Length + 1, so that 0 stands for null: the core distinguishes "no context" from empty. */
  void writeNullableBytes(byte[] b) {
    if (b == null) {
      writeVarint(0);
      return;
    }
    writeVarint(b.length + 1L);
    writeRaw(b);
  }

  private void writeRaw(byte[] b) {
    if (buf != null) {
      System.arraycopy(b, 0, buf, size, b.length);
    }
    size += b.length;
  }
}
