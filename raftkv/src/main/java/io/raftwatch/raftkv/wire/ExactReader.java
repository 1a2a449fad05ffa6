package io.raftwatch.raftkv.wire;

import java.util.Arrays;
import java.util.function.Function;

/**
 * Bounds-checked reads of what {@link ExactWriter} wrote: varints, booleans and length-prefixed
 * byte strings from one array. Every overrun, over-long varint or stray byte is an error made by
 * the caller's factory, so that each format keeps its own exception type and says what it was
 * reading. One reader per array, on one thread.
 */
public final class ExactReader {
  private final byte[] buf;
  private final Function<String, ? extends RuntimeException> error;
  private int pos;

  /** Reads buf; problems are thrown as {@code error.apply(description)}. */
  public ExactReader(byte[] buf, Function<String, ? extends RuntimeException> error) {
    this.buf = buf;
    this.error = error;
  }

  public boolean hasMore() {
    return pos < buf.length;
  }

  public int readByte() {
    need(1);
    return buf[pos++] & 0xFF;
  }

  public boolean readBoolean() {
    int b = readByte();
    if (b > 1) {
      throw error.apply("bad boolean " + b + " at offset " + (pos - 1));
    }
    return b == 1;
  }

  public long readVarint() {
    int start = pos;
    long v = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      int b = readByte();
      v |= (long) (b & 0x7F) << shift;
      if ((b & 0x80) == 0) {
        return v;
      }
    }
    throw error.apply("varint longer than 10 bytes at offset " + start);
  }

  /** A count or length, which must fit in what is left of the array. */
  public int readCount() {
    int start = pos;
    return checkedCount(readVarint(), start);
  }

  /** A byte string written by {@link ExactWriter#writeBytes}. */
  public byte[] readBytes() {
    return take(readCount());
  }

  /** A byte string written by {@link ExactWriter#writeNullableBytes}, null as it was. */
  public byte[] readNullableBytes() {
    int start = pos;
    long n = readVarint();
    return n == 0 ? null : take(checkedCount(n - 1, start));
  }

  /** Steps over n bytes. */
  public void skip(long n) {
    need(checkedCount(n, pos));
    pos += (int) n;
  }

  /** Refuses bytes left after the last field. */
  public void expectEnd() {
    if (pos != buf.length) {
      throw error.apply((buf.length - pos) + " trailing bytes after offset " + pos);
    }
  }

  private int checkedCount(long n, int at) {
    if (n < 0 || n > buf.length - pos) {
      throw error.apply("length " + n + " at offset " + at + " exceeds the "
          + (buf.length - pos) + " bytes left");
    }
    return (int) n;
  }

  private byte[] take(int n) {
    byte[] out = Arrays.copyOfRange(buf, pos, pos + n);
    pos += n;
    return out;
  }

  private void need(int n) {
    if (buf.length - pos < n) {
      throw error.apply("truncated at offset " + pos + " of " + buf.length);
    }
  }
}
