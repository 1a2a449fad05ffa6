package io.raftwatch.raftkv.mvcc;

/** The store contract on the in-memory backend. */
class KvStoreOnMemoryTest extends KvStoreContractTest {
  @Override
  Backend newBackend(MvccMetrics metrics) {
    return new MemoryBackend(metrics);
  }
}
