package io.raftwatch.collector.tsdb;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Round trips through the Gorilla encoding, compared bit for bit with the input. */
class XorChunkTest {
  @Test
  void roundTripsSeededRandomSeries() {
    for (long seed = 0; seed < 300; seed++) {
      SplittableRandom random = new SplittableRandom(seed);
      int n = 1 + random.nextInt(MemSeries.SAMPLES_PER_CHUNK);
      long[] ts = new long[n];
      double[] vs = new double[n];
      long t = random.nextLong(-1L << 50, 1L << 50);
      double v = random.nextDouble() * 1000;
      for (int i = 0; i < n; i++) {
        t += nextDelta(random);
        v = nextValue(random, v);
        ts[i] = t;
        vs[i] = v;
      }

      assertRoundTrip(ts, vs, "seed " + seed);
    }
  }

  private static long nextDelta(SplittableRandom r) {
    return switch (r.nextInt(6)) {
      case 0 -> 15_000; // A steady scrape interval: delta-of-delta 0.
      case 1 -> 15_000 + r.nextInt(-50, 50); // Jitter: the 7-bit bucket.
      case 2 -> 1 + r.nextInt(16_000); // The 14-bit bucket.
      case 3 -> 1 + r.nextInt(1_000_000); // The 20-bit bucket and beyond.
      case 4 -> 1 + r.nextLong(1L << 40); // A large jump: the 64-bit escape.
      default -> 1;
    };
  }

  private static double nextValue(SplittableRandom r, double previous) {
    return switch (r.nextInt(10)) {
      case 0 -> previous;
      case 1 -> previous + r.nextInt(100);
      case 2 -> Double.NaN;
      case 3 -> Samples.STALE_NAN;
      case 4 -> r.nextBoolean() ? Double.POSITIVE_INFINITY : Double.NEGATIVE_INFINITY;
      case 5 -> r.nextBoolean() ? -0.0 : 0.0;
      case 6 -> Double.longBitsToDouble(r.nextLong()); // Any bit pattern, odd NaNs included.
      case 7 -> Double.MIN_VALUE;
      case 8 -> r.nextInt(1000);
      default -> r.nextDouble() * 1e9;
    };
  }

  @Test
  void roundTripsEdgeValuesBitExact() {
    double[] vs = {
      0.0,
      -0.0,
      Double.NaN,
      Samples.STALE_NAN,
      Double.POSITIVE_INFINITY,
      Double.NEGATIVE_INFINITY,
      Double.MAX_VALUE,
      -Double.MAX_VALUE,
      Double.MIN_VALUE,
      1.0,
      1.0,
      Samples.STALE_NAN,
      42.5
    };
    long[] ts = new long[vs.length];
    for (int i = 0; i < ts.length; i++) {
      ts[i] = 1_700_000_000_000L + i * 15_000L;
    }

    assertRoundTrip(ts, vs, "edge values");
  }

  @Test
  void roundTripsExtremeTimestampsAndDeltas() {
    long[] ts = {Long.MIN_VALUE + 1, -5, 0, 1, 2, 3, Long.MAX_VALUE / 2, Long.MAX_VALUE - 1};
    double[] vs = new double[ts.length];

    assertRoundTrip(ts, vs, "extreme timestamps");
  }

  @Test
  void steadyCounterAtFifteenSecondsTakesAboutTwoBitsPerTimestamp() {
    XorChunk chunk = new XorChunk();
    for (int i = 0; i < 120; i++) {
      chunk.append(1_700_000_000_000L + i * 15_000L, 7);
    }

    // 16 bytes for the first sample; the first delta is a 20-bit delta-of-delta (4 + 20 bits) and
    // an unchanged value (1 bit); every later sample is one '0' bit for each.
    assertThat(chunk.sizeBytes()).isEqualTo(16 + (25 + 118 * 2 + 7) / 8);
  }

  @Test
  void scrapeJitterOfAFewMillisecondsTakesNineBitsPerTimestamp() {
    XorChunk chunk = new XorChunk();
    chunk.append(0, 7);
    chunk.append(15_000, 7);
    int before = chunk.sizeBytes();
    for (int i = 2; i < 82; i++) {
      chunk.append(i * 15_000L + (i % 2 == 0 ? 3 : -3), 7); // Delta-of-delta alternates ±6 or so.
    }

    // 80 samples of 9 bits (2 + 7) for the timestamp and 1 bit for the unchanged value.
    assertThat(chunk.sizeBytes() - before).isBetween(80 * 10 / 8 - 1, 80 * 10 / 8 + 1);
  }

  private static void assertRoundTrip(long[] ts, double[] vs, String what) {
    XorChunk chunk = new XorChunk();
    for (int i = 0; i < ts.length; i++) {
      chunk.append(ts[i], vs[i]);
    }
    SealedChunk sealed = chunk.snapshot();
    assertThat(sealed.count()).as(what).isEqualTo(ts.length);
    assertThat(sealed.minTime()).as(what).isEqualTo(ts[0]);
    assertThat(sealed.maxTime()).as(what).isEqualTo(ts[ts.length - 1]);

    SampleIterator it = sealed.iterator();
    for (int i = 0; i < ts.length; i++) {
      assertThat(it.next()).as(what + " sample " + i).isTrue();
      assertThat(it.timestamp()).as(what + " timestamp " + i).isEqualTo(ts[i]);
      assertThat(Double.doubleToRawLongBits(it.value()))
          .as(what + " value bits " + i)
          .isEqualTo(Double.doubleToRawLongBits(vs[i]));
    }
    assertThat(it.next()).as(what + " end").isFalse();
  }
}
