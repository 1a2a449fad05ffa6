package io.raftwatch.collector.tsdb;

/** Reads bits, most significant first, from bytes a {@link BitWriter} produced. Not thread-safe. */
final class BitReader {
  private final byte[] buf;
  private long position; // In bits from the start of buf.

  /** Reads from {@code buf} starting at byte {@code offset}. */
  BitReader(byte[] buf, int offset) {
    this.buf = buf;
    this.position = offset * 8L;
  }

  /** Reads {@code n} bits (0 &lt;= n &lt;= 64) as an unsigned value. */
  long readBits(int n) {
    long result = 0;
    while (n > 0) {
      int byteIndex = (int) (position >>> 3);
      int available = 8 - (int) (position & 7);
      int take = Math.min(available, n);
      int b = buf[byteIndex] & 0xff;
      int bits = (b >>> (available - take)) & ((1 << take) - 1);
      result = (result << take) | bits;
      n -= take;
      position += take;
    }
    return result;
  }

  boolean readBit() {
    int b = buf[(int) (position >>> 3)] & 0xff;
    boolean bit = ((b >>> (7 - (position & 7))) & 1) != 0;
    position++;
    return bit;
  }
}
