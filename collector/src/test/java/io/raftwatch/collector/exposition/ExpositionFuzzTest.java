package io.raftwatch.collector.exposition;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Feeds the parser seeded mutations of valid bodies (bit flips, truncations, inserted quotes,
 * braces, backslashes, newlines, hashes, deleted and duplicated spans) and checks that each one
 * either parses or fails with {@link ExpositionFormatException} naming a real line; nothing else is
 * thrown. Inputs are bounded, and the timeout catches a hang. A failure prints its seed.
 */
class ExpositionFuzzTest {
  private static final int CASES_PER_SEED_BODY = 1500;
  private static final byte[] INSERTS =
      "\"{}\\\n#=, \t\u00ff0.e+-".getBytes(StandardCharsets.ISO_8859_1);

  private static final String OPENMETRICS_SEED =
      """
      # TYPE rpc_seconds histogram
      # UNIT rpc_seconds seconds
      # HELP rpc_seconds RPC \\"latency\\".
      rpc_seconds_bucket{le="0.1",path="a\\\\b"} 1 # {trace_id="abc"} 0.05 1520879607.789
      rpc_seconds_bucket{le="+Inf",path="a\\\\b"} 2
      rpc_seconds_sum{path="a\\\\b"} 0.3
      rpc_seconds_count{path="a\\\\b"} 2
      # TYPE puts counter
      puts_total 7 1520879607.5
      puts_created 1520879600
      # TYPE s summary
      s{quantile="0.5"} NaN
      s_count 1
      # EOF
      """;

  @Test
  @Timeout(value = 120, unit = TimeUnit.SECONDS)
  void mutatedBodiesParseOrFailWithTheTypedErrorOnly() throws Exception {
    byte[] fixture =
        Files.readAllBytes(
            EtcdFixturesTest.sharedDir().resolve("fixtures/etcd-3.4.23/member-1.prom"));
    byte[] textSeed = Arrays.copyOf(fixture, 12_000); // Bounded: a few hundred lines.
    byte[] omSeed = OPENMETRICS_SEED.getBytes(StandardCharsets.UTF_8);

    int parsed = 0;
    int rejected = 0;
    for (int i = 0; i < CASES_PER_SEED_BODY; i++) {
      for (ExpositionFormat format : ExpositionFormat.values()) {
        for (byte[] seed : List.of(textSeed, omSeed)) {
          long caseSeed = i * 4L + (format.ordinal() * 2L) + (seed == omSeed ? 1 : 0);
          byte[] input = mutate(seed, new SplittableRandom(caseSeed));
          try {
            ParsedScrape scrape = new ExpositionParser().parse(input, format);
            for (int s = 0; s < scrape.size(); s++) {
              assertThat(scrape.labels(s).name()).as("seed " + caseSeed).isNotEmpty();
            }
            parsed++;
          } catch (ExpositionFormatException e) {
            assertThat(e.lineNumber()).as("seed " + caseSeed).isBetween(1, lines(input).size() + 1);
            assertThat(lines(input))
                .as("seed " + caseSeed + ": " + e.getMessage())
                .anyMatch(l -> l.equals(e.lineText()) || e.lineText().isEmpty());
            rejected++;
          } catch (RuntimeException | StackOverflowError e) {
            fail(
                "seed "
                    + caseSeed
                    + " ("
                    + format
                    + ") threw "
                    + e
                    + " on:\n"
                    + new String(input, StandardCharsets.UTF_8),
                e);
          }
        }
      }
    }
    // Both outcomes occur, so the mutations neither always break nor never break the input.
    assertThat(parsed).isPositive();
    assertThat(rejected).isPositive();
  }

  private static byte[] mutate(byte[] seed, SplittableRandom r) {
    byte[] b = seed.clone();
    int mutations = 1 + r.nextInt(4);
    for (int m = 0; m < mutations; m++) {
      int at = r.nextInt(b.length);
      switch (r.nextInt(6)) {
        case 0 -> b[at] ^= (byte) (1 << r.nextInt(8));
        case 1 -> b = Arrays.copyOf(b, at);
        case 2 -> b = insert(b, at, new byte[] {INSERTS[r.nextInt(INSERTS.length)]});
        case 3 -> b = delete(b, at, Math.min(b.length - at, 1 + r.nextInt(20)));
        case 4 -> {
          int len = Math.min(b.length - at, 1 + r.nextInt(80));
          b = insert(b, r.nextInt(b.length + 1), Arrays.copyOfRange(b, at, at + len));
        }
        default -> b[at] = INSERTS[r.nextInt(INSERTS.length)];
      }
      if (b.length == 0) {
        break;
      }
    }
    return b;
  }

  private static byte[] insert(byte[] b, int at, byte[] what) {
    byte[] out = new byte[b.length + what.length];
    System.arraycopy(b, 0, out, 0, at);
    System.arraycopy(what, 0, out, at, what.length);
    System.arraycopy(b, at, out, at + what.length, b.length - at);
    return out;
  }

  private static byte[] delete(byte[] b, int at, int len) {
    byte[] out = new byte[b.length - len];
    System.arraycopy(b, 0, out, 0, at);
    System.arraycopy(b, at + len, out, at, b.length - at - len);
    return out;
  }

  private static List<String> lines(byte[] input) {
    return new ArrayList<>(
        Arrays.asList(new String(input, StandardCharsets.UTF_8).split("\n", -1)));
  }
}
