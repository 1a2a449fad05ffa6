package io.raftwatch.raftkv.wire;

import java.util.function.Consumer;

/**
 * Varint and byte-string writes into an array of exactly the encoded size: {@link #encode} runs
 * the writes twice, first only counting, then into an array of the counted size, which so needs
 * neither growing nor a final trimming copy. Peer messages and stored key-values are written this
 * way, one allocation each, since they are most of a member's allocation under load.
 */
public final class ExactWriter {
  private final byte[] buf; // null when counting
  private int size;

  private ExactWriter(byte[] buf) {
    this.buf = buf;
  }

  /** The bytes {@code writes} produces, which must write the same on both of its calls. */
  public static byte[] encode(Consumer<ExactWriter> writes) {
    ExactWriter counter = new ExactWriter(null);
    writes.accept(counter);
    ExactWriter out = new ExactWriter(new byte[counter.size]);
    writes.accept(out);
    if (out.size != counter.size) {
      throw new IllegalStateException(
          "wrote " + out.size + " bytes after counting " + counter.size);
    }
    return out.buf;
  }

  public void writeByte(int b) {
    if (buf != null) {
      buf[size] = (byte) b;
    }
    size++;
  }

  public void writeBoolean(boolean b) {
    writeByte(b ? 1 : 0);
  }

  /**
   * Unsigned LEB128 of the raw 64 bits (protobuf's varint): ids and indexes are never negative, so
   * they stay short; a negative value takes ten bytes, as protobuf writes a negative int64.
   */
  public void writeVarint(long v) {
    while ((v & ~0x7FL) != 0) {
      writeByte((int) ((v & 0x7F) | 0x80));
      v >>>= 7;
    }
    writeByte((int) v);
  }

  /** The length as a varint, then the bytes (protobuf's length-delimited value). */
  public void writeBytes(byte[] b) {
    writeVarint(b.length);
    writeRaw(b);
  }

  /**
   * A byte string that may be null: its length plus one, 0 for null, then the bytes (for fields
   * where "none" and empty differ, such as a Raft message's context).
   */
  public void writeNullableBytes(byte[] b) {
    if (b == null) {
      writeVarint(0);
      return;
    }
    writeVarint(b.length + 1L);
    writeRaw(b);
  }

  public void writeRaw(byte[] b) {
    if (buf != null) {
      System.arraycopy(b, 0, buf, size, b.length);
    }
    size += b.length;
  }
}
