package io.raftwatch.collector.tsdb;

/**
 * The open (head) chunk of one series: samples compressed as in Facebook's Gorilla paper (Pelkonen
 * et al., VLDB 2015, §4.1) and Prometheus's {@code chunkenc/xor.go}.
 *
 * <p>Layout, bit by bit: the first sample as a raw 64-bit timestamp and raw 64-bit value; then per
 * sample a timestamp delta-of-delta (the first delta is coded as a delta-of-delta against 0) and a
 * value XOR against the previous value. Timestamps are milliseconds, so the delta-of-delta buckets
 * are 7, 14 and 20 bits (then a 64-bit escape): a steady interval costs 1 bit; the 7-bit bucket,
 * the paper's smallest, holds scrape jitter of a few ms in 9 bits where Prometheus's smallest (14
 * bits) takes 16; the 14 and 20-bit buckets hold missed or irregular scrapes.
 *
 * <p>Owned by its series, which serializes access; not thread-safe. Readers get an immutable copy
 * of the bytes through {@link #snapshot()}.
 */
final class XorChunk {
  private final BitWriter out = new BitWriter(64);
  private int count;
  private long minTime;
  private long lastTime;
  private long lastDelta;
  private long lastValueBits;
  private int leading = -1; // -1 until the first "new window" value; then the window in force.
  private int trailing;

  /** Appends a sample; the caller guarantees the timestamp is later than the previous one. */
  void append(long t, double v) {
    long bits = Double.doubleToRawLongBits(v);
    if (count == 0) {
      out.writeBits(t, 64);
      out.writeBits(bits, 64);
      minTime = t;
    } else {
      long delta = t - lastTime;
      writeDeltaOfDelta(delta - lastDelta);
      writeXor(bits ^ lastValueBits);
      lastDelta = delta;
    }
    lastTime = t;
    lastValueBits = bits;
    count++;
  }

  private void writeDeltaOfDelta(long dod) {
    if (dod == 0) {
      out.writeBit(false);
    } else if (fits(dod, 7)) {
      out.writeBits(0b10, 2);
      out.writeBits(dod, 7);
    } else if (fits(dod, 14)) {
      out.writeBits(0b110, 3);
      out.writeBits(dod, 14);
    } else if (fits(dod, 20)) {
      out.writeBits(0b1110, 4);
      out.writeBits(dod, 20);
    } else {
      out.writeBits(0b1111, 4);
      out.writeBits(dod, 64);
    }
  }

  private static boolean fits(long x, int bits) {
    return x >= -(1L << (bits - 1)) && x < (1L << (bits - 1));
  }

  private void writeXor(long xor) {
    if (xor == 0) {
      out.writeBit(false);
      return;
    }
    out.writeBit(true);
    // 5 bits hold the leading-zero count, so it is capped at 31.
    int lead = Math.min(Long.numberOfLeadingZeros(xor), 31);
    int trail = Long.numberOfTrailingZeros(xor);
    if (leading >= 0 && lead >= leading && trail >= trailing) {
      // The meaningful bits fit in the previous window: reuse it.
      out.writeBit(false);
      out.writeBits(xor >>> trailing, 64 - leading - trailing);
    } else {
      leading = lead;
      trailing = trail;
      int significant = 64 - lead - trail;
      out.writeBit(true);
      out.writeBits(lead, 5);
      out.writeBits(significant & 63, 6); // 64 significant bits are written as 0.
      out.writeBits(xor >>> trail, significant);
    }
  }

  int count() {
    return count;
  }

  long minTime() {
    return minTime;
  }

  long maxTime() {
    return lastTime;
  }

  /** Bytes used so far, the last partial byte counted. */
  int sizeBytes() {
    return (int) ((out.bitCount() + 7) >>> 3);
  }

  /** An immutable copy of the samples so far, for a reader. */
  SealedChunk snapshot() {
    return new SealedChunk(out.toByteArray(), 0, count, minTime, lastTime);
  }

  /** Copies the encoded bytes into {@code dest} at {@code at}; {@link #sizeBytes()} of them. */
  void copyBytesTo(byte[] dest, int at) {
    out.copyTo(dest, at);
  }

  /** Decodes the {@code count} samples encoded in {@code data} from {@code offset} on. */
  static SampleIterator iterator(byte[] data, int offset, int count) {
    return new Decoder(data, offset, count);
  }

  /** Reads a chunk back; mirrors the writer's state. */
  private static final class Decoder implements SampleIterator {
    private final BitReader in;
    private final int count;
    private int read;
    private long time;
    private long delta;
    private long valueBits;
    private int leading;
    private int trailing;

    Decoder(byte[] data, int offset, int count) {
      this.in = new BitReader(data, offset);
      this.count = count;
    }

    @Override
    public boolean next() {
      if (read >= count) {
        return false;
      }
      if (read == 0) {
        time = in.readBits(64);
        valueBits = in.readBits(64);
      } else {
        delta += readDeltaOfDelta();
        time += delta;
        if (in.readBit()) {
          if (in.readBit()) {
            leading = (int) in.readBits(5);
            int significant = (int) in.readBits(6);
            if (significant == 0) {
              significant = 64;
            }
            trailing = 64 - leading - significant;
          }
          int significant = 64 - leading - trailing;
          valueBits ^= in.readBits(significant) << trailing;
        }
      }
      read++;
      return true;
    }

    private long readDeltaOfDelta() {
      if (!in.readBit()) {
        return 0;
      }
      if (!in.readBit()) {
        return signExtend(in.readBits(7), 7);
      }
      if (!in.readBit()) {
        return signExtend(in.readBits(14), 14);
      }
      if (!in.readBit()) {
        return signExtend(in.readBits(20), 20);
      }
      return in.readBits(64);
    }

    private static long signExtend(long v, int bits) {
      return (v << (64 - bits)) >> (64 - bits);
    }

    @Override
    public long timestamp() {
      return time;
    }

    @Override
    public double value() {
      return Double.longBitsToDouble(valueBits);
    }
  }
}
