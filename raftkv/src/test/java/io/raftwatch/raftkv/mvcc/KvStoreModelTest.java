package io.raftwatch.raftkv.mvcc;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.prometheus.client.CollectorRegistry;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The store against a naive twin: a full copy of the key space at every revision. Seeded random
 * operation sequences (puts, delete-ranges, multi-op transactions, ranges at random revisions with
 * random limits, compactions) must give identical answers and errors. A failure names its seed and
 * step.
 */
class KvStoreModelTest {
  private static final String[] KEYS = {"a", "ab", "abc", "b", "ba", "c", "ca", "d"};

  @TempDir Path dir;

  /** The naive twin: state.get(rev) is the whole key space at revision rev. */
  private static final class Model {
    final List<TreeMap<String, KeyValue>> states = new ArrayList<>();
    long compacted = -1;

    Model() {
      states.add(new TreeMap<>()); // revision 0, unused
      states.add(new TreeMap<>()); // revision 1, the empty store
    }

    long current() {
      return states.size() - 1;
    }

    static boolean inRange(String k, String key, String end) {
      if (end == null) {
        return k.equals(key);
      }
      if (end.equals("\0")) {
        return k.compareTo(key) >= 0;
      }
      return k.compareTo(key) >= 0 && k.compareTo(end) < 0;
    }

    /** The outcome as text: kvs and count, or the error message. */
    String range(
        TreeMap<String, KeyValue> state, String key, String end, long limit, boolean countOnly) {
      List<KeyValue> found = new ArrayList<>();
      for (Map.Entry<String, KeyValue> e : state.entrySet()) {
        if (inRange(e.getKey(), key, end)) {
          found.add(e.getValue());
        }
      }
      List<KeyValue> kvs =
          countOnly
              ? List.of()
              : found.subList(0, (int) (limit > 0 ? Math.min(limit, found.size()) : found.size()));
      return describe(kvs, found.size());
    }

    String rangeAt(String key, String end, long rev, long limit, boolean countOnly) {
      if (rev > current()) {
        return "mvcc: required revision is a future revision";
      }
      long at = rev <= 0 ? current() : rev;
      if (at < compacted) {
        return "mvcc: required revision has been compacted";
      }
      return range(states.get((int) at), key, end, limit, countOnly);
    }
  }

  static String describe(List<KeyValue> kvs, long count) {
    StringBuilder sb = new StringBuilder("count=" + count);
    for (KeyValue kv : kvs) {
      sb.append(' ')
          .append(new String(kv.key(), UTF_8))
          .append('=')
          .append(new String(kv.value(), UTF_8))
          .append('@')
          .append(kv.createRevision())
          .append('/')
          .append(kv.modRevision())
          .append("/v")
          .append(kv.version());
    }
    return sb.toString();
  }

  static String actual(java.util.function.Supplier<RangeResult> read) {
    try {
      RangeResult r = read.get();
      return describe(r.kvs(), r.count());
    } catch (CompactedException | FutureRevisionException e) {
      return e.getMessage();
    }
  }

  static byte[] bytes(String s) {
    return s == null ? null : s.getBytes(UTF_8);
  }

  @ParameterizedTest
  @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16})
  void storeMatchesNaiveModelOnMemoryBackend(long seed) {
    MvccMetrics metrics = new MvccMetrics(new CollectorRegistry());
    run(seed, new MemoryBackend(7, metrics, System::nanoTime), metrics, 600);
  }

  @ParameterizedTest
  @ValueSource(longs = {101, 102})
  void storeMatchesNaiveModelOnLmdb(long seed) {
    MvccMetrics metrics = new MvccMetrics(new CollectorRegistry());
    run(
        seed,
        new LmdbBackend(dir.resolve("db"), 1L << 30, 50, metrics, System::nanoTime),
        metrics,
        400);
  }

  private void run(long seed, Backend backend, MvccMetrics metrics, int steps) {
    Random rnd = new Random(seed);
    Model model = new Model();
    KvStore kv = new KvStore(backend, new Lessor(backend, 1), metrics);
    try (backend) {
      for (int step = 0; step < steps; step++) {
        String where = "seed " + seed + " step " + step;
        int op = rnd.nextInt(100);
        if (op < 55) {
          // A write transaction of 1..4 ops; a single op is a plain put or delete.
          TreeMap<String, KeyValue> next = new TreeMap<>(model.states.get((int) model.current()));
          long rev = model.current() + 1;
          boolean changed = false;
          try (WriteTxn txn = kv.write()) {
            int n = 1 + (op < 35 ? 0 : rnd.nextInt(4));
            for (int i = 0; i < n; i++) {
              String key = KEYS[rnd.nextInt(KEYS.length)];
              int kind = rnd.nextInt(10);
              if (kind < 6) {
                String value = "v" + rnd.nextInt(1000);
                KeyValue old = next.get(key);
                next.put(
                    key,
                    new KeyValue(
                        bytes(key),
                        old == null ? rev : old.createRevision(),
                        rev,
                        old == null ? 1 : old.version() + 1,
                        bytes(value),
                        0));
                assertThat(txn.put(bytes(key), bytes(value), 0)).as(where).isEqualTo(rev);
                changed = true;
              } else if (kind < 8) {
                String end = randomEnd(rnd);
                List<String> doomed =
                    next.keySet().stream().filter(k -> Model.inRange(k, key, end)).toList();
                DeleteResult d = txn.deleteRange(bytes(key), bytes(end));
                assertThat(d.deleted()).as(where).isEqualTo(doomed.size());
                doomed.forEach(next::remove);
                changed |= !doomed.isEmpty();
              } else {
                String end = randomEnd(rnd);
                // Reads inside the txn see its own writes.
                assertThat(actual(() -> txn.range(bytes(key), bytes(end), RangeOptions.DEFAULT)))
                    .as(where)
                    .isEqualTo(model.range(next, key, end, 0, false));
              }
            }
          }
          if (changed) {
            model.states.add(next);
          }
        } else if (op < 95) {
          String key = KEYS[rnd.nextInt(KEYS.length)];
          String end = randomEnd(rnd);
          long rev = rnd.nextInt((int) model.current() + 2);
          long limit = rnd.nextInt(4);
          boolean countOnly = rnd.nextInt(8) == 0;
          assertThat(
                  actual(
                      () ->
                          kv.range(
                              bytes(key),
                              bytes(end),
                              new RangeOptions(limit, rev, countOnly, false))))
              .as(where)
              .isEqualTo(model.rangeAt(key, end, rev, limit, countOnly));
        } else {
          long rev =
              Math.max(1, model.compacted)
                  + rnd.nextInt((int) (model.current() - Math.max(1, model.compacted) + 2));
          String want =
              rev <= model.compacted
                  ? "mvcc: required revision has been compacted"
                  : rev > model.current() ? "mvcc: required revision is a future revision" : "ok";
          String got;
          try {
            kv.compact(rev);
            got = "ok";
          } catch (CompactedException | FutureRevisionException e) {
            got = e.getMessage();
          }
          assertThat(got).as(where).isEqualTo(want);
          if (want.equals("ok")) {
            model.compacted = rev;
          }
        }
        assertThat(kv.currentRevision()).as(where).isEqualTo(model.current());
      }
      // Finally every readable revision agrees over the whole key space.
      for (long rev = Math.max(1, model.compacted); rev <= model.current(); rev++) {
        long r = rev;
        assertThat(
                actual(() -> kv.range(new byte[] {0}, new byte[] {0}, RangeOptions.atRevision(r))))
            .as("seed " + seed + " final rev " + rev)
            .isEqualTo(model.rangeAt("\0", "\0", rev, 0, false));
      }
    }
  }

  private static String randomEnd(Random rnd) {
    return switch (rnd.nextInt(4)) {
      case 0 -> null;
      case 1 -> "\0";
      default -> KEYS[rnd.nextInt(KEYS.length)];
    };
  }
}
