package io.raftwatch.collector.exposition;

import io.raftwatch.collector.tsdb.Labels;
import java.util.Arrays;

/**
 * Maps the raw text of a series ({@code name{labels}} exactly as a target sent it) to what parsing
 * it gave, so that a target's next scrapes skip label parsing: Prometheus's scrape cache does the
 * same. Entries not seen in a whole successful scrape are dropped. Owned by one {@link
 * ExpositionParser}; not thread-safe.
 */
final class SeriesCache {
  /** What one series text parsed to. Facts for the type checks are kept so hits can redo them. */
  static final class Entry {
    final byte[] key;
    final int hash;
    final Labels labels;
    final String metricName;
    final LabelFact le;
    final LabelFact quantile;
    int lastSeen; // The generation of the last parse that used the entry.

    Entry(
        byte[] key, int hash, Labels labels, String metricName, LabelFact le, LabelFact quantile) {
      this.key = key;
      this.hash = hash;
      this.labels = labels;
      this.metricName = metricName;
      this.le = le;
      this.quantile = quantile;
    }
  }

  /**
   * Whether a series had a label the type rules need ({@code le}, {@code quantile}), and if its
   * value is a number.
   */
  enum LabelFact {
    ABSENT,
    NUMBER,
    NOT_A_NUMBER
  }

  private Entry[] table = new Entry[256]; // Open addressing, linear probing; length a power of 2.
  private int size;
  private int generation;
  private int seenThisGeneration;

  /** Starts a parse. */
  void beginGeneration() {
    generation++;
    seenThisGeneration = 0;
  }

  static int hash(byte[] b, int from, int to) {
    int h = 1;
    for (int i = from; i < to; i++) {
      h = 31 * h + b[i];
    }
    return h ^ (h >>> 16);
  }

  /** The entry for the bytes {@code b[from, to)}, marked seen, or null. */
  Entry get(byte[] b, int from, int to, int hash) {
    int mask = table.length - 1;
    for (int i = hash & mask; ; i = (i + 1) & mask) {
      Entry e = table[i];
      if (e == null) {
        return null;
      }
      if (e.hash == hash && Arrays.equals(e.key, 0, e.key.length, b, from, to)) {
        markSeen(e);
        return e;
      }
    }
  }

  void put(Entry e) {
    if ((size + 1) * 2 > table.length) {
      rehash(table.length * 2, false);
    }
    insert(table, e);
    size++;
    markSeen(e);
  }

  private void markSeen(Entry e) {
    if (e.lastSeen != generation) {
      e.lastSeen = generation;
      seenThisGeneration++;
    }
  }

  /** Ends a successful parse: forgets series the body no longer had. */
  void endGeneration() {
    if (seenThisGeneration < size) {
      int capacity = 256;
      while (seenThisGeneration * 2 >= capacity) {
        capacity *= 2;
      }
      rehash(capacity, true);
    }
  }

  int size() {
    return size;
  }

  private void rehash(int capacity, boolean onlySeen) {
    Entry[] next = new Entry[capacity];
    int n = 0;
    for (Entry e : table) {
      if (e != null && (!onlySeen || e.lastSeen == generation)) {
        insert(next, e);
        n++;
      }
    }
    table = next;
    size = n;
  }

  private static void insert(Entry[] t, Entry e) {
    int mask = t.length - 1;
    int i = e.hash & mask;
    while (t[i] != null) {
      i = (i + 1) & mask;
    }
    t[i] = e;
  }
}
