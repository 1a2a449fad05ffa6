package io.raftwatch.raftkv.storage;

import io.prometheus.client.CollectorRegistry;
import io.raftwatch.raftkv.raft.Entry;
import io.raftwatch.raftkv.raft.HardState;
import java.nio.file.Path;
import java.util.List;

/**
 * A child process for {@link WalCrashTest}: opens the WAL in {@code args[0]} (segments of {@code
 * args[1]} bytes), then appends {@link #entry} records after whatever it recovered, printing
 * {@code saving N} before and {@code durable N} once the save of index N has returned, until it is
 * killed.
 */
public final class WalAppender {
  private WalAppender() {}

  public static void main(String[] args) throws Exception {
    Wal wal =
        Wal.open(
            Path.of(args[0]),
            new WalOptions(Long.parseLong(args[1])),
            new StorageMetrics(new CollectorRegistry()));
    for (long index = wal.recovered().lastIndex() + 1; ; index++) {
      Entry entry = entry(index);
      System.out.println("saving " + index);
      wal.save(new HardState(1, 1, index - 1), List.of(entry));
      System.out.println("durable " + index);
    }
  }

  /**
   * The entry at {@code index}: every fourth one is 1 MB, so that a kill sent on reading its
   * "saving" line often lands inside its write() and leaves a torn record (the kernel stops a
   * write between pages for SIGKILL).
   */
  static Entry entry(long index) {
    byte[] data = new byte[index % 4 == 0 ? 1_000_000 : 40];
    for (int i = 0; i < data.length; i++) {
      data[i] = (byte) (index * 31 + i);
    }
    return Entry.normal(1, index, data);
  }
}
