package io.raftwatch.raftkv.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.prometheus.client.CollectorRegistry;
import io.raftwatch.raftkv.raft.ConfState;
import io.raftwatch.raftkv.raft.Snapshot;
import io.raftwatch.raftkv.raft.SnapshotMetadata;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.List;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SnapshotterTest {
  @TempDir Path dir;
  private CollectorRegistry registry;
  private Snapshotter snapshotter;

  @BeforeEach
  void setUp() throws Exception {
    registry = new CollectorRegistry();
    snapshotter = new Snapshotter(dir, 3, new StorageMetrics(registry));
  }

  private static Snapshot snapshot(long term, long index) {
    SortedSet<Long> voters = new TreeSet<>(List.of(1L, 2L, 3L));
    SortedSet<Long> learners = new TreeSet<>(List.of(7L));
    SnapshotMetadata m = new SnapshotMetadata(index, term, new ConfState(voters, learners));
    return new Snapshot(m, ("state at " + index).getBytes(StandardCharsets.UTF_8));
  }

  private List<String> files() throws Exception {
    try (Stream<Path> files = Files.list(dir)) {
      return files.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  @Test
  void savedSnapshotLoadsBackWholeUnderEtcdsFileName() throws Exception {
    Path file = snapshotter.save(snapshot(2, 100));

    assertThat(file.getFileName().toString()).isEqualTo("0000000000000002-0000000000000064.snap");
    assertThat(files()).containsExactly("0000000000000002-0000000000000064.snap");
    assertThat(snapshotter.loadNewest()).contains(snapshot(2, 100));
    assertThat(registry.getSampleValue("etcd_debugging_snap_save_total_duration_seconds_count"))
        .isEqualTo(1.0);
  }

  @Test
  void emptyDirectoryHasNoSnapshot() throws Exception {
    assertThat(snapshotter.loadNewest()).isEmpty();
  }

  @Test
  void saveKeepsOnlyTheNewestFiles() throws Exception {
    for (long index = 10; index <= 60; index += 10) {
      snapshotter.save(snapshot(1 + index / 30, index));
    }

    assertThat(files())
        .containsExactly(
            "0000000000000002-0000000000000028.snap",
            "0000000000000002-0000000000000032.snap",
            "0000000000000003-000000000000003c.snap");
    assertThat(snapshotter.loadNewest()).contains(snapshot(3, 60));
  }

  @Test
  void interruptedSaveLeavesOnlyATemporaryFileWhichLoadIgnoresAndDeletes() throws Exception {
    snapshotter.save(snapshot(1, 10));
    // What a crash between write and rename leaves: a partial file under the temporary name.
    byte[] whole = WalRecord.encodeSnapshotFile(snapshot(1, 20).metadata(), new byte[100]).array();
    Files.write(
        dir.resolve("0000000000000001-0000000000000014.snap.tmp"),
        Arrays.copyOf(whole, whole.length / 2));

    assertThat(snapshotter.loadNewest()).contains(snapshot(1, 10));
    assertThat(files()).containsExactly("0000000000000001-000000000000000a.snap");
  }

  @Test
  void corruptNewestIsReportedAndTheOlderValidOneIsUsed() throws Exception {
    snapshotter.save(snapshot(1, 10));
    Path newest = snapshotter.save(snapshot(1, 20));
    try (RandomAccessFile f = new RandomAccessFile(newest.toFile(), "rw")) {
      f.seek(f.length() - 2);
      int b = f.read();
      f.seek(f.length() - 2);
      f.write(b ^ 0x10);
    }

    assertThat(snapshotter.loadNewest()).contains(snapshot(1, 10));
    assertThat(files()).as("the corrupt file is kept for inspection").hasSize(2);
  }

  @Test
  void allSnapshotsCorruptIsAnErrorNamingTheNewest() throws Exception {
    Path newest = snapshotter.save(snapshot(1, 10));
    try (var ch = Files.newByteChannel(newest, StandardOpenOption.WRITE)) {
      ch.truncate(Files.size(newest) - 1);
    }

    assertThatThrownBy(() -> snapshotter.loadNewest())
        .isInstanceOf(CorruptWalException.class)
        .hasMessageStartingWith("corrupt record in " + newest + " at byte offset 0: ")
        .hasMessageContaining("past the end of the file");
  }

  @Test
  void fileWhoseNameDisagreesWithItsContentIsCorrupt() throws Exception {
    Path saved = snapshotter.save(snapshot(1, 10));
    Path renamed = dir.resolve("0000000000000001-00000000000000ff.snap");
    Files.move(saved, renamed);

    assertThatThrownBy(() -> snapshotter.loadNewest())
        .isInstanceOf(CorruptWalException.class)
        .hasMessageContaining(renamed.toString())
        .hasMessageContaining("holds term 1 index 10");
  }

  @Test
  void emptySnapshotIsNotSaved() {
    assertThatThrownBy(() -> snapshotter.save(Snapshot.EMPTY))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("empty snapshot");
  }
}
