package io.raftwatch.raftkv.storage;

import static io.raftwatch.raftkv.storage.WalTestData.entries;
import static io.raftwatch.raftkv.storage.WalTestData.entry;
import static io.raftwatch.raftkv.storage.WalTestData.open;
import static io.raftwatch.raftkv.storage.WalTestData.reopen;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.raftwatch.raftkv.raft.Entry;
import io.raftwatch.raftkv.raft.HardState;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a reopened WAL makes of a torn tail, zeros and damaged bytes. */
class WalRecoveryTest {
  private static final String SEGMENT = "0000000000000000-0000000000000000.wal";

  @TempDir Path tmp;

  /** Five entries saved one by one, each a single record, in one segment. */
  private Path fiveEntries(Path dir) throws IOException {
    try (Wal wal = open(dir, 1 << 20)) {
      for (long i = 1; i <= 5; i++) {
        wal.save(null, List.of(entry(1, i)));
      }
    }
    return dir.resolve(SEGMENT);
  }

  private static long offsetOf(long index) {
    return entries(1, 1, index - 1).stream().mapToLong(WalRecord::size).sum();
  }

  @Test
  void truncationAtEveryOffsetOfTheLastRecordRecoversExactlyThePrefix() throws Exception {
    Path pristine = fiveEntries(tmp.resolve("pristine"));
    long lastStart = offsetOf(5);
    long end = Files.size(pristine);
    assertThat(end - lastStart).isEqualTo(WalRecord.size(entry(1, 5)));

    for (long cut = lastStart; cut < end; cut++) {
      Path dir = Files.createDirectories(tmp.resolve("cut-" + cut));
      Path segment = dir.resolve(SEGMENT);
      Files.copy(pristine, segment);
      try (var ch = Files.newByteChannel(segment, StandardOpenOption.WRITE)) {
        ch.truncate(cut);
      }

      try (Wal wal = open(dir, 1 << 20)) {
        assertThat(wal.recovered().entries())
            .as("cut at %d", cut)
            .containsExactlyElementsOf(entries(1, 1, 4));
        wal.save(new HardState(2, 2, 4), List.of(entry(2, 5)));
      }
      // The torn bytes are gone: the segment holds the four entries and the new records.
      assertThat(Files.size(segment))
          .as("cut at %d", cut)
          .isEqualTo(lastStart + WalRecord.size(entry(2, 5))
              + WalRecord.size(new HardState(2, 2, 4)));
      WalContents again = reopen(dir);
      List<Entry> expected = new ArrayList<>(entries(1, 1, 4));
      expected.add(entry(2, 5));
      assertThat(again.entries()).as("cut at %d", cut).containsExactlyElementsOf(expected);
      assertThat(again.hardState()).isEqualTo(new HardState(2, 2, 4));
    }
  }

  @Test
  void zeroFilledTailIsCutOff() throws Exception {
    Path dir = tmp.resolve("wal");
    Path segment = fiveEntries(dir);
    long size = Files.size(segment);
    Files.write(segment, new byte[4096], StandardOpenOption.APPEND);

    assertThat(reopen(dir).entries()).containsExactlyElementsOf(entries(1, 1, 5));
    assertThat(Files.size(segment)).isEqualTo(size);
  }

  @Test
  void flippedPayloadBitInAMiddleRecordIsRefusedWithFileAndOffset() throws Exception {
    Path dir = tmp.resolve("wal");
    Path segment = fiveEntries(dir);
    long third = offsetOf(3);
    flipBit(segment, third + WalRecord.HEADER_SIZE + 20, 3);
    long size = Files.size(segment);

    assertRefused(dir, segment, third, "record payload checksum mismatch");
    assertThat(Files.size(segment)).as("nothing truncated").isEqualTo(size);
  }

  @Test
  void flippedLengthBitInAMiddleRecordIsRefusedNotTakenForATornTail() throws Exception {
    Path dir = tmp.resolve("wal");
    Path segment = fiveEntries(dir);
    long third = offsetOf(3);
    // A high bit of the length: unprotected, it would claim a record running past the end.
    flipBit(segment, third + 5, 2);

    assertRefused(dir, segment, third, "record header checksum mismatch");
  }

  @Test
  void flippedLengthBitInTheLastRecordIsRefusedToo() throws Exception {
    Path dir = tmp.resolve("wal");
    Path segment = fiveEntries(dir);
    long fifth = offsetOf(5);
    flipBit(segment, fifth + 7, 6);

    assertThatThrownBy(() -> reopen(dir))
        .isInstanceOf(CorruptWalException.class)
        .hasMessageContaining(segment + " at byte offset " + fifth);
  }

  @Test
  void flippedPayloadBitInTheLastRecordIsRefused() throws Exception {
    Path dir = tmp.resolve("wal");
    Path segment = fiveEntries(dir);
    long fifth = offsetOf(5);
    flipBit(segment, Files.size(segment) - 1, 0);

    assertThatThrownBy(() -> reopen(dir))
        .isInstanceOf(CorruptWalException.class)
        .hasMessageContaining(segment + " at byte offset " + fifth)
        .hasMessageContaining("payload checksum mismatch");
  }

  /**
   * A log of four small entries and a last one of 2000 bytes, followed by reserved space (zeros),
   * as a crash leaves a preallocated segment.
   */
  private Path withReservedTail(Path dir) throws IOException {
    Path segment;
    try (Wal wal = open(dir, 1 << 20)) {
      wal.save(null, entries(1, 1, 4));
      wal.save(null, List.of(BIG_FIFTH));
      segment = dir.resolve(SEGMENT);
    }
    Files.write(segment, new byte[64 * 1024], StandardOpenOption.APPEND);
    return segment;
  }

  @Test
  void aLastRecordCutShortInsideReservedSpaceIsATornTail() throws Exception {
    Path dir = tmp.resolve("wal");
    Path segment = withReservedTail(dir);
    long fifth = offsetOf(5);
    // The write stopped after its first sector: the rest of the record reads as zeros.
    long firstSectorEnd = (fifth / 512 + 1) * 512;
    zero(segment, firstSectorEnd, fifth + WalRecord.size(BIG_FIFTH));

    try (Wal wal = open(dir, 1 << 20)) {
      assertThat(wal.recovered().entries()).containsExactlyElementsOf(entries(1, 1, 4));
      wal.save(null, List.of(entry(2, 5)));
    }
    List<Entry> expected = new ArrayList<>(entries(1, 1, 4));
    expected.add(entry(2, 5));
    assertThat(reopen(dir).entries()).containsExactlyElementsOf(expected);
  }

  @Test
  void aFlippedBitInTheLastRecordBeforeReservedSpaceIsStillRefused() throws Exception {
    Path dir = tmp.resolve("wal");
    Path segment = withReservedTail(dir);
    long fifth = offsetOf(5);
    flipBit(segment, fifth + WalRecord.HEADER_SIZE + 1000, 1);

    assertRefused(dir, segment, fifth, "record payload checksum mismatch");
  }

  private static final Entry BIG_FIFTH = Entry.normal(1, 5, bigData());

  private static byte[] bigData() {
    byte[] data = new byte[2000];
    for (int i = 0; i < data.length; i++) {
      data[i] = (byte) (1 + i % 251);
    }
    return data;
  }

  private static void zero(Path file, long from, long to) throws IOException {
    try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
      f.seek(from);
      f.write(new byte[(int) (to - from)]);
    }
  }

  @Test
  void tornEndOfASegmentThatIsNotTheLastIsRefused() throws Exception {
    Path dir = tmp.resolve("wal");
    List<Path> segments;
    try (Wal wal = open(dir, 200)) {
      for (long i = 1; i <= 20; i++) {
        wal.save(null, List.of(entry(1, i)));
      }
      segments = wal.segmentFiles();
    }
    Path sealed = segments.get(1);
    long size = Files.size(sealed);
    try (var ch = Files.newByteChannel(sealed, StandardOpenOption.WRITE)) {
      ch.truncate(size - 3);
    }

    assertThatThrownBy(() -> reopen(dir))
        .isInstanceOf(CorruptWalException.class)
        .hasMessageContaining(sealed.toString())
        .hasMessageContaining("past the end of the file")
        .hasMessageContaining("this file must end on a whole record");
  }

  @Test
  void unknownRecordTypeWithValidChecksumsIsRefused() throws Exception {
    Path dir = tmp.resolve("wal");
    Path segment = fiveEntries(dir);
    ByteBuffer bytes = ByteBuffer.wrap(Files.readAllBytes(segment));
    int second = (int) offsetOf(2);
    bytes.put(second, (byte) 9).putInt(second + 12, WalRecord.crc(bytes, second, 12));
    Files.write(segment, bytes.array());

    assertThatThrownBy(() -> reopen(dir))
        .isInstanceOf(CorruptWalException.class)
        .hasMessageContaining("byte offset " + second + ": unknown record type 9");
  }

  /** Reopening dir fails on the record at offset in segment, for reason, naming both. */
  private static void assertRefused(Path dir, Path segment, long offset, String reason) {
    assertThatThrownBy(() -> reopen(dir))
        .isInstanceOf(CorruptWalException.class)
        .hasMessage("corrupt record in " + segment + " at byte offset " + offset + ": " + reason)
        .satisfies(e -> assertThat(((CorruptWalException) e).offset()).isEqualTo(offset));
  }

  private static void flipBit(Path file, long offset, int bit) throws IOException {
    try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
      f.seek(offset);
      int b = f.read();
      f.seek(offset);
      f.write(b ^ (1 << bit));
    }
  }
}
