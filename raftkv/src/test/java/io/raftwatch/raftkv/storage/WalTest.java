package io.raftwatch.raftkv.storage;

import static io.raftwatch.raftkv.storage.WalTestData.entries;
import static io.raftwatch.raftkv.storage.WalTestData.entry;
import static io.raftwatch.raftkv.storage.WalTestData.open;
import static io.raftwatch.raftkv.storage.WalTestData.reopen;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.prometheus.client.CollectorRegistry;
import io.raftwatch.raftkv.raft.ConfState;
import io.raftwatch.raftkv.raft.Entry;
import io.raftwatch.raftkv.raft.EntryType;
import io.raftwatch.raftkv.raft.HardState;
import io.raftwatch.raftkv.raft.SnapshotMetadata;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WalTest {
  @TempDir Path dir;

  @Test
  void emptyDirectoryOpensToAnEmptyLogInTheFirstSegment() throws Exception {
    try (Wal wal = open(dir, 1024)) {
      assertThat(wal.recovered())
          .isEqualTo(new WalContents(HardState.EMPTY, SnapshotMetadata.EMPTY, List.of()));
      assertThat(wal.segmentFiles())
          .extracting(p -> p.getFileName().toString())
          .containsExactly("0000000000000000-0000000000000000.wal");
    }
  }

  @Test
  void entriesAndHardStateSurviveReopen() throws Exception {
    List<Entry> written = new ArrayList<>(entries(1, 1, 5));
    written.add(new Entry(1, 6, EntryType.CONF_CHANGE, new byte[] {1, 2, 3}));
    written.add(Entry.normal(2, 7, new byte[0]));
    try (Wal wal = open(dir, 1 << 20)) {
      wal.save(new HardState(1, 3, 0), written.subList(0, 5));
      wal.save(new HardState(2, 2, 5), written.subList(5, 7));
      wal.save(null, List.of());
    }

    WalContents contents = reopen(dir);

    assertThat(contents.hardState()).isEqualTo(new HardState(2, 2, 5));
    assertThat(contents.entries()).containsExactlyElementsOf(written);
    assertThat(contents.lastIndex()).isEqualTo(7);
  }

  @Test
  void laterEntriesReplaceAnOverwrittenSuffix() throws Exception {
    try (Wal wal = open(dir, 1 << 20)) {
      wal.save(new HardState(1, 1, 2), entries(1, 1, 6));
      // A new leader in term 2 overwrites the uncommitted 4..6 with a shorter 4..5.
      wal.save(new HardState(2, 2, 2), entries(2, 4, 5));
    }
    try (Wal wal = open(dir, 1 << 20)) {
      assertThat(wal.recovered().entries())
          .containsExactly(
              entry(1, 1), entry(1, 2), entry(1, 3), entry(2, 4), entry(2, 5));
      // The log stays appendable where replay left it, and a later overwrite wins again.
      wal.save(null, entries(3, 5, 6));
    }

    assertThat(reopen(dir).entries())
        .containsExactly(
            entry(1, 1), entry(1, 2), entry(1, 3), entry(2, 4), entry(3, 5), entry(3, 6));
  }

  @Test
  void saveRefusesEntriesThatWouldLeaveAGapAndWritesNothing() throws Exception {
    try (Wal wal = open(dir, 1 << 20)) {
      wal.save(null, entries(1, 1, 3));

      assertThatThrownBy(() -> wal.save(new HardState(1, 1, 3), List.of(entry(1, 5))))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("entry 5 would leave a gap after the last index 3");
      assertThatThrownBy(() -> wal.save(null, List.of(entry(1, 4), entry(1, 6))))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("entries are not consecutive: 4 then 6");
      wal.save(null, List.of(entry(1, 4)));
    }

    WalContents contents = reopen(dir);
    assertThat(contents.entries()).containsExactlyElementsOf(entries(1, 1, 4));
    assertThat(contents.hardState()).isEqualTo(HardState.EMPTY);
  }

  @Test
  void gapFoundOnReplayIsCorruptionNamingTheRecord() throws Exception {
    // Only damage or a foreign writer can put a gap on disk: write the records by hand.
    List<Entry> written = List.of(entry(1, 1), entry(1, 2), entry(1, 5));
    ByteBuffer bytes =
        ByteBuffer.allocate(written.stream().mapToInt(WalRecord::size).sum());
    written.forEach(e -> WalRecord.encode(e, bytes));
    Files.write(dir.resolve("0000000000000000-0000000000000000.wal"), bytes.array());
    long offsetOfEntry5 = WalRecord.size(entry(1, 1)) + WalRecord.size(entry(1, 2));

    assertThatThrownBy(() -> reopen(dir))
        .isInstanceOf(CorruptWalException.class)
        .hasMessageContaining("0000000000000000-0000000000000000.wal")
        .hasMessageContaining("byte offset " + offsetOfEntry5)
        .hasMessageContaining("entry 5 leaves a gap after index 2");
  }

  @Test
  void snapshotMarkerDropsTheEntriesItCovers() throws Exception {
    SnapshotMetadata snap = new SnapshotMetadata(6, 1, ConfState.ofVoters(1, 2, 3));
    try (Wal wal = open(dir, 1 << 20)) {
      wal.save(new HardState(1, 1, 6), entries(1, 1, 8));
      wal.saveSnapshotMarker(snap);
      wal.save(new HardState(1, 1, 8), entries(1, 9, 10));
    }

    WalContents contents = reopen(dir);

    assertThat(contents.snapshot()).isEqualTo(snap);
    assertThat(contents.entries()).containsExactlyElementsOf(entries(1, 7, 10));
    assertThat(contents.hardState()).isEqualTo(new HardState(1, 1, 8));
  }

  @Test
  void snapshotBeyondTheLogReplacesItAndTheLogContinuesAfterIt() throws Exception {
    // A follower that received InstallSnapshot for index 20 while its own log ended at 3.
    SnapshotMetadata snap = new SnapshotMetadata(20, 4, ConfState.ofVoters(1, 2));
    try (Wal wal = open(dir, 1 << 20)) {
      wal.save(new HardState(1, 1, 1), entries(1, 1, 3));
      wal.saveSnapshotMarker(snap);
      wal.save(new HardState(4, 2, 20), entries(4, 21, 22));
    }

    WalContents contents = reopen(dir);

    assertThat(contents.snapshot()).isEqualTo(snap);
    assertThat(contents.entries()).containsExactlyElementsOf(entries(4, 21, 22));
  }

  @Test
  void segmentsRollOverAtTheConfiguredSizeAndReplayInOrder() throws Exception {
    try (Wal wal = open(dir, 300)) {
      for (long i = 1; i <= 40; i++) {
        wal.save(new HardState(1, 1, i - 1), List.of(entry(1, i)));
      }
      List<Path> segments = wal.segmentFiles();
      assertThat(segments).hasSizeGreaterThan(5);
      for (int s = 0; s < segments.size(); s++) {
        WalSegment segment = WalSegment.parse(segments.get(s)).orElseThrow();
        assertThat(segment.sequence()).isEqualTo(s);
        if (s > 0) {
          // Named for the first entry it holds: the one after the last of the segment before.
          WalReader.Scan scan = WalReader.scan(segments.get(s), true);
          long firstEntry = scan.records().stream()
              .filter(r -> r.type() == WalRecord.Type.ENTRY)
              .map(r -> WalRecord.decodeEntry(r.payload()).index())
              .findFirst().orElseThrow();
          assertThat(segment.firstIndex()).isEqualTo(firstEntry);
        }
      }
      long largestSave = WalRecord.size(entry(1, 4)) + WalRecord.size(new HardState(1, 1, 0));
      for (Path sealed : segments.subList(0, segments.size() - 1)) {
        // A segment is cut before the write that would follow a full one: at most one save over.
        assertThat(Files.size(sealed)).isBetween(300L, 299 + largestSave);
      }
    }

    WalContents contents = reopen(dir);

    assertThat(contents.entries()).containsExactlyElementsOf(entries(1, 1, 40));
    assertThat(contents.hardState()).isEqualTo(new HardState(1, 1, 39));
  }

  @Test
  void releaseAfterSnapshotDeletesWholeSegmentsBelowItAndKeepsState() throws Exception {
    SnapshotMetadata snap = new SnapshotMetadata(30, 1, ConfState.ofVoters(1));
    try (Wal wal = open(dir, 300)) {
      wal.save(new HardState(1, 1, 0), List.of());
      for (long i = 1; i <= 40; i++) {
        // The hard state is written once: it must survive through the heads of new segments.
        wal.save(null, List.of(entry(1, i)));
      }
      int before = wal.segmentFiles().size();

      wal.releaseTo(30); // No marker yet: the release is capped at snapshot index 0.
      assertThat(wal.segmentFiles()).hasSize(before);

      wal.saveSnapshotMarker(snap);
      wal.releaseTo(30);

      List<Path> kept = wal.segmentFiles();
      assertThat(kept).hasSizeLessThan(before);
      assertThat(WalSegment.parse(kept.get(0)).orElseThrow().firstIndex()).isLessThanOrEqualTo(31);
      assertThat(WalSegment.parse(kept.get(1)).orElseThrow().firstIndex()).isGreaterThan(30);
      try (Stream<Path> files = Files.list(dir)) {
        assertThat(files.filter(f -> f.toString().endsWith(".wal")).toList())
            .containsExactlyInAnyOrderElementsOf(kept);
      }
      wal.save(null, List.of(entry(1, 41)));
    }

    WalContents contents = reopen(dir);

    assertThat(contents.snapshot()).isEqualTo(snap);
    assertThat(contents.hardState()).isEqualTo(new HardState(1, 1, 0));
    assertThat(contents.entries()).containsExactlyElementsOf(entries(1, 31, 41));
  }

  @Test
  void missingSegmentInTheChainIsRefused() throws Exception {
    List<Path> segments;
    try (Wal wal = open(dir, 200)) {
      for (long i = 1; i <= 20; i++) {
        wal.save(null, List.of(entry(1, i)));
      }
      segments = wal.segmentFiles();
    }
    Files.delete(segments.get(1));

    assertThatThrownBy(() -> reopen(dir))
        .isInstanceOf(CorruptWalException.class)
        .hasMessageContaining(segments.get(2).toString())
        .hasMessageContaining("segment sequence 2 where 1 was expected");
  }

  @Test
  void writeBytesGaugeCountsEveryByteWrittenAndEachSaveIsFsynced() throws Exception {
    CollectorRegistry registry = new CollectorRegistry();
    try (Wal wal = Wal.open(dir, new WalOptions(1 << 20), new StorageMetrics(registry))) {
      wal.save(new HardState(1, 1, 0), entries(1, 1, 3));
      wal.saveSnapshotMarker(new SnapshotMetadata(2, 1, ConfState.ofVoters(1)));
    }
    long onDisk = Files.size(dir.resolve("0000000000000000-0000000000000000.wal"));

    assertThat(registry.getSampleValue("etcd_disk_wal_write_bytes_total")).isEqualTo(onDisk);
    assertThat(registry.getSampleValue("etcd_disk_wal_fsync_duration_seconds_count"))
        .isEqualTo(2.0);
  }

  @Test
  void aSaveThatOnlyMovesTheCommitIndexIsWrittenButNotForcedAsInEtcd() throws Exception {
    CollectorRegistry registry = new CollectorRegistry();
    try (Wal wal = Wal.open(dir, new WalOptions(1 << 20), new StorageMetrics(registry))) {
      wal.save(new HardState(1, 1, 0), entries(1, 1, 3)); // entries: forced
      assertThat(fsyncs(registry)).isEqualTo(1);

      wal.save(new HardState(1, 1, 2), List.of()); // the commit index alone: written only
      wal.save(new HardState(1, 1, 3), List.of());
      assertThat(fsyncs(registry)).isEqualTo(1);

      wal.save(new HardState(2, 1, 3), List.of()); // a new term: forced
      wal.save(new HardState(2, 3, 3), List.of()); // a vote: forced
      assertThat(fsyncs(registry)).isEqualTo(3);
    }

    assertThat(reopen(dir).hardState()).isEqualTo(new HardState(2, 3, 3));
  }

  private static double fsyncs(CollectorRegistry registry) {
    return registry.getSampleValue("etcd_disk_wal_fsync_duration_seconds_count");
  }

  @Test
  void theSegmentBeingWrittenIsPreallocatedAndAClosedOneHoldsOnlyItsRecords() throws Exception {
    assumeTrue(System.getProperty("os.name").startsWith("Linux"), "posix_fallocate is Linux's");
    Path segment = dir.resolve("0000000000000000-0000000000000000.wal");
    long records;
    try (Wal wal = open(dir, 1 << 20)) {
      wal.save(new HardState(1, 1, 0), entries(1, 1, 3));
      records = entries(1, 1, 3).stream().mapToLong(WalRecord::size).sum()
          + WalRecord.size(new HardState(1, 1, 0));

      assertThat(Files.size(segment)).isEqualTo(1 << 20);
    }

    assertThat(Files.size(segment)).isEqualTo(records);
  }

  @Test
  void aLogLeftWithItsReservedSpaceByACrashReopensAndAppendsAfterItsRecords() throws Exception {
    Path crashed = dir.resolve("crashed");
    try (Wal wal = open(dir.resolve("live"), 1 << 20)) {
      wal.save(new HardState(1, 1, 0), entries(1, 1, 3));
      // What a kill -9 leaves: the records, then the zeros of the space reserved for more.
      Files.createDirectories(crashed);
      for (Path file : wal.segmentFiles()) {
        Files.copy(file, crashed.resolve(file.getFileName()));
      }
    }

    try (Wal wal = open(crashed, 1 << 20)) {
      assertThat(wal.recovered().entries()).containsExactlyElementsOf(entries(1, 1, 3));
      wal.save(new HardState(1, 1, 3), entries(1, 4, 5));
    }

    assertThat(reopen(crashed).entries()).containsExactlyElementsOf(entries(1, 1, 5));
  }

  @Test
  void aSecondWalOnTheSameDirectoryIsRefusedUntilTheFirstCloses() throws Exception {
    try (Wal first = open(dir, 1024)) {
      first.save(null, List.of(entry(1, 1)));

      assertThatThrownBy(() -> open(dir, 1024))
          .isInstanceOf(IOException.class)
          .hasMessage("WAL directory " + dir + " is in use: another Wal holds wal.lock");
    }

    assertThat(reopen(dir).entries()).containsExactly(entry(1, 1));
  }

  @Test
  void closedWalRefusesWrites() throws Exception {
    Wal wal = open(dir, 1024);
    wal.close();
    wal.close();

    assertThatThrownBy(() -> wal.save(null, List.of(entry(1, 1))))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("closed");
  }
}
