package io.raftwatch.raftkv.mvcc;

import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** The store contract on LMDB. */
class KvStoreOnLmdbTest extends KvStoreContractTest {
  @TempDir Path dir;

  @Override
  Backend newBackend(MvccMetrics metrics) {
    return new LmdbBackend(dir.resolve("db"), 1L << 30, 10_000, metrics, System::nanoTime);
  }
}
