package io.raftwatch.raftkv.mvcc;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.prometheus.client.CollectorRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Watchers against a naive twin: the full list of events the store produced. Watchers on random
 * keys and ranges, from random start revisions, with tiny queues drained at random moments so they
 * fall behind and catch up, must each receive exactly the matching events from their start revision
 * on, in order, none twice, with the right prev_kv. A failure names its seed.
 */
class WatchableStoreModelTest {
  private static final String[] KEYS = {"a", "ab", "b", "ba", "c"};

  /** An event as text, with its revision and prev value, for comparison. */
  static String text(Event e) {
    String prev =
        e.prevKv() == null
            ? "-"
            : new String(e.prevKv().value(), UTF_8) + "@" + e.prevKv().modRevision();
    return e.type()
        + " "
        + new String(e.kv().key(), UTF_8)
        + "="
        + new String(e.kv().value(), UTF_8)
        + "@"
        + e.kv().modRevision()
        + "/v"
        + e.kv().version()
        + " prev="
        + prev;
  }

  private record Watch(
      WatchStream stream,
      long id,
      String key,
      String end,
      long start,
      boolean prevKv,
      boolean noPut,
      boolean noDelete,
      List<String> got) {}

  @ParameterizedTest
  @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8})
  void everyWatcherSeesExactlyItsEventsInOrder(long seed) {
    Random rnd = new Random(seed);
    MvccMetrics metrics = new MvccMetrics(new CollectorRegistry());
    MemoryBackend backend = new MemoryBackend(metrics);
    KvStore kv = new KvStore(backend, new Lessor(backend, 1), metrics);
    WatchableStore ws = new WatchableStore(kv, metrics);
    // The twin: every event with its prev_kv (the key's version before the event's revision).
    List<Event> history = new ArrayList<>();
    kv.addObserver(
        (rev, events) -> {
          for (Event e : events) {
            history.add(e.withPrevKv(kv.versionAt(e.kv().key(), rev - 1).orElse(null)));
          }
        });
    List<Watch> watches = new ArrayList<>();
    for (int step = 0; step < 400; step++) {
      int op = rnd.nextInt(100);
      String key = KEYS[rnd.nextInt(KEYS.length)];
      if (op < 50) {
        try (WriteTxn txn = kv.write()) {
          for (int i = rnd.nextInt(3); i >= 0; i--) {
            String k = KEYS[rnd.nextInt(KEYS.length)];
            if (rnd.nextInt(4) == 0) {
              txn.deleteRange(k.getBytes(UTF_8), null);
            } else {
              txn.put(k.getBytes(UTF_8), ("v" + step).getBytes(UTF_8), 0);
            }
          }
        }
      } else if (op < 60 && watches.size() < 12) {
        String end =
            switch (rnd.nextInt(3)) {
              case 0 -> null;
              case 1 -> "\0";
              default -> KEYS[rnd.nextInt(KEYS.length)];
            };
        long start = rnd.nextInt(3) == 0 ? 0 : 1 + rnd.nextInt((int) kv.currentRevision() + 3);
        WatchStream stream = ws.newStream(1 + rnd.nextInt(3));
        boolean prevKv = rnd.nextBoolean();
        boolean noPut = rnd.nextInt(5) == 0;
        boolean noDelete = !noPut && rnd.nextInt(5) == 0;
        long effectiveStart = start == 0 ? kv.currentRevision() + 1 : start;
        long id =
            stream.watch(
                key.getBytes(UTF_8),
                end == null ? null : end.getBytes(UTF_8),
                start,
                0,
                prevKv,
                noPut,
                noDelete);
        watches.add(
            new Watch(
                stream, id, key, end, effectiveStart, prevKv, noPut, noDelete, new ArrayList<>()));
      } else if (op < 85) {
        drain(watches.isEmpty() ? null : watches.get(rnd.nextInt(watches.size())));
      } else {
        ws.syncWatchers();
      }
    }
    // Let everyone catch up.
    for (int round = 0; round < 1000 && ws.unsyncedCount() > 0; round++) {
      watches.forEach(this::drain);
      ws.syncWatchers();
    }
    watches.forEach(this::drain);
    assertThat(ws.unsyncedCount()).as("seed " + seed).isZero();
    for (Watch w : watches) {
      List<String> want = new ArrayList<>();
      for (Event e : history) {
        boolean inRange = TreeIndexRange.contains(new String(e.kv().key(), UTF_8), w.key, w.end);
        boolean filtered = e.type() == Event.Type.PUT ? w.noPut : w.noDelete;
        if (inRange && !filtered && e.kv().modRevision() >= w.start) {
          want.add(text(w.prevKv ? e : new Event(e.type(), e.kv(), null)));
        }
      }
      assertThat(w.got)
          .as("seed " + seed + " watch on " + w.key + ".." + w.end + " from " + w.start)
          .isEqualTo(want);
    }
  }

  private void drain(Watch w) {
    if (w == null) {
      return;
    }
    for (WatchResponse r = w.stream.poll(); r != null; r = w.stream.poll()) {
      assertThat(r.canceled()).isFalse();
      r.events().forEach(e -> w.got.add(text(e)));
    }
  }

  /** The naive twin of etcd's range-end conventions, on strings. */
  private static final class TreeIndexRange {
    static boolean contains(String k, String key, String end) {
      if (end == null) {
        return k.equals(key);
      }
      return k.compareTo(key) >= 0 && (end.equals("\0") || k.compareTo(end) < 0);
    }
  }
}
