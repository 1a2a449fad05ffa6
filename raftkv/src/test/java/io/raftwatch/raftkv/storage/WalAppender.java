package io.raftwatch.raftkv.storage;

import io.prometheus.client.CollectorRegistry;
import io.raftwatch.raftkv.raft.HardState;
import java.nio.file.Path;
import java.util.List;

/**
 * A child process for {@link WalCrashTest}: opens the WAL in {@code args[0]} (segments of {@code
 * args[1]} bytes), then appends {@link WalTestData#entry} records after whatever it recovered,
 * printing {@code durable N} once the save of index N has returned, until it is killed.
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
      wal.save(new HardState(1, 1, index - 1), List.of(WalTestData.entry(1, index)));
      System.out.println("durable " + index);
    }
  }
}
