package io.raftwatch.raftkv.storage;

import io.prometheus.client.CollectorRegistry;
import io.raftwatch.raftkv.raft.Entry;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Entries with content derived from their index, and WAL opening, shared by the storage tests. */
final class WalTestData {
  private WalTestData() {}

  /** An entry whose data says its term and index, with a length that varies with the index. */
  static Entry entry(long term, long index) {
    String data = ("t" + term + "-i" + index + ";").repeat(1 + (int) (index % 5));
    return Entry.normal(term, index, data.getBytes(StandardCharsets.UTF_8));
  }

  static List<Entry> entries(long term, long from, long to) {
    List<Entry> list = new ArrayList<>();
    for (long i = from; i <= to; i++) {
      list.add(entry(term, i));
    }
    return list;
  }

  static Wal open(Path dir, long segmentBytes) throws IOException {
    return Wal.open(dir, new WalOptions(segmentBytes), new StorageMetrics(new CollectorRegistry()));
  }

  static WalContents reopen(Path dir) throws IOException {
    try (Wal wal = open(dir, WalOptions.DEFAULT_SEGMENT_BYTES)) {
      return wal.recovered();
    }
  }
}
