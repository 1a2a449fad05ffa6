package io.raftwatch.collector.tsdb;

import java.util.Arrays;

/**
 * Appends bits, most significant first, to a growing byte array: the output side of {@link
 * XorChunk}. Owned by the series that writes its head chunk; not thread-safe.
 */
final class BitWriter {
  private byte[] buf;
  private long bitCount; // Invariant: bits [0, bitCount) are written, the rest of buf is zero.

  BitWriter(int initialBytes) {
    buf = new byte[Math.max(1, initialBytes)];
  }

  /** Writes the low {@code n} bits of {@code value} (0 &lt;= n &lt;= 64), high bit first. */
  void writeBits(long value, int n) {
    ensure(bitCount + n);
    while (n > 0) {
      int byteIndex = (int) (bitCount >>> 3);
      int free = 8 - (int) (bitCount & 7);
      int take = Math.min(free, n);
      // The next `take` bits of value, aligned to the free low end of the current byte.
      int bits = (int) ((value >>> (n - take)) & ((1L << take) - 1));
      buf[byteIndex] |= (byte) (bits << (free - take));
      n -= take;
      bitCount += take;
    }
  }

  void writeBit(boolean bit) {
    writeBits(bit ? 1 : 0, 1);
  }

  long bitCount() {
    return bitCount;
  }

  /** The bytes written so far, the last one zero-padded; a copy, safe to hand to readers. */
  byte[] toByteArray() {
    return Arrays.copyOf(buf, (int) ((bitCount + 7) >>> 3));
  }

  /** Copies the bytes written so far into {@code dest} at {@code at}. */
  void copyTo(byte[] dest, int at) {
    System.arraycopy(buf, 0, dest, at, (int) ((bitCount + 7) >>> 3));
  }

  private void ensure(long bits) {
    int need = (int) ((bits + 7) >>> 3);
    if (need > buf.length) {
      buf = Arrays.copyOf(buf, Math.max(need, buf.length * 2));
    }
  }
}
