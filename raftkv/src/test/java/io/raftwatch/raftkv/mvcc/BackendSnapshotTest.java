package io.raftwatch.raftkv.mvcc;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.prometheus.client.CollectorRegistry;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** A damaged backend snapshot is refused with a message saying what is wrong, never loaded. */
class BackendSnapshotTest {
  private static byte[] snapshot() throws IOException {
    MvccMetrics metrics = new MvccMetrics(new CollectorRegistry());
    MemoryBackend backend = new MemoryBackend(metrics);
    KvStore kv = new KvStore(backend, new Lessor(backend, 1), metrics);
    kv.put("key".getBytes(UTF_8), "value".getBytes(UTF_8), 0);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    backend.snapshot(out);
    return out.toByteArray();
  }

  private static void restore(byte[] data) throws IOException {
    new MemoryBackend(new MvccMetrics(new CollectorRegistry()))
        .restore(new ByteArrayInputStream(data));
  }

  @Test
  void flippedByteFailsTheCrcAndKeepsTheOldContent() throws IOException {
    byte[] data = snapshot();
    data[data.length - 8] ^= 1;
    MvccMetrics metrics = new MvccMetrics(new CollectorRegistry());
    MemoryBackend target = new MemoryBackend(metrics);
    KvStore kv = new KvStore(target, new Lessor(target, 1), metrics);
    kv.put("mine".getBytes(UTF_8), "kept".getBytes(UTF_8), 0);
    assertThatThrownBy(() -> target.restore(new ByteArrayInputStream(data)))
        .isInstanceOf(IOException.class)
        .hasMessage("mvcc snapshot: CRC mismatch after 1 records");
    assertThat(target.get(Bucket.KEY, new Revision(2, 0).toBytes(false))).isNotNull();
  }

  @Test
  void truncatedSnapshotSaysSo() throws IOException {
    byte[] data = snapshot();
    assertThatThrownBy(() -> restore(Arrays.copyOf(data, data.length - 10)))
        .isInstanceOf(IOException.class)
        .hasMessage("mvcc snapshot: truncated");
  }

  @Test
  void otherFilesAreNotSnapshots() {
    assertThatThrownBy(() -> restore("SQLite format 3\0".getBytes(UTF_8)))
        .isInstanceOf(IOException.class)
        .hasMessage("mvcc snapshot: bad magic, not a raftkv backend snapshot");
  }
}
