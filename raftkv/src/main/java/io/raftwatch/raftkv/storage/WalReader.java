package io.raftwatch.raftkv.storage;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Splits one file into framed records, telling a torn tail (which recovery may cut off) from
 * corruption (which it must refuse). Called by {@link Wal#open} on the opening thread, and by
 * {@link Snapshotter}.
 */
final class WalReader {
  private static final String WHOLE_RECORDS_ONLY = ", but this file must end on a whole record";

  /** A record whose framing and checksums are valid. */
  record Framed(WalRecord.Type type, long offset, ByteBuffer payload) {
    /** A fresh read-only view of the payload, so that each decoding starts at its beginning. */
    @Override
    public ByteBuffer payload() {
      return payload.duplicate();
    }
  }

  /**
   * What a file holds.
   *
   * @param records every valid record, in file order
   * @param validEnd byte offset just past the last valid record
   * @param tornTail why the bytes from {@code validEnd} on are a torn tail, or null if there are
   *     none
   * @param writtenEnd byte offset just past the last byte that is not zero
   */
  record Scan(List<Framed> records, long validEnd, String tornTail, long writtenEnd) {}

  private WalReader() {}

  /**
   * Reads every record of {@code file}. Zeros to the end of a file are where its records end: the
   * space {@link Preallocator} reserved and no write reached (etcd's WAL reads them the same way).
   *
   * @param tailMayBeTorn whether an unfinished final write is expected here (the last segment);
   *     elsewhere it is corruption, since a segment is fsynced before the next one is created
   * @throws CorruptWalException naming the file and the offset of the first bad record
   */
  static Scan scan(Path file, boolean tailMayBeTorn) throws IOException {
    Contents contents = Contents.read(file);
    List<Framed> records = new ArrayList<>();
    int pos = 0;
    while (!contents.zerosFrom(pos)) {
      String torn = null;
      long available = contents.size - pos;
      ByteBuffer bytes = contents.upTo(pos + (int) Math.min(available, WalRecord.HEADER_SIZE));
      long length = 0;
      if (available < WalRecord.HEADER_SIZE) {
        torn = "record header cut short after " + available + " of " + WalRecord.HEADER_SIZE
            + " bytes";
      } else if (WalRecord.crc(bytes, pos, 12) != bytes.getInt(pos + 12)) {
        if (!tailMayBeTorn || !contents.hasZeroSector(pos, pos + WalRecord.HEADER_SIZE)) {
          throw new CorruptWalException(file, pos, "record header checksum mismatch");
        }
        torn = "the last record header was not fully written";
      } else {
        length = Integer.toUnsignedLong(bytes.getInt(pos + 4));
        if (pos + WalRecord.HEADER_SIZE + length > contents.size) {
          torn = "record of " + length + " bytes ends at " + (pos + WalRecord.HEADER_SIZE + length)
              + ", past the end of the file at " + contents.size;
        }
      }
      if (torn != null) {
        if (!tailMayBeTorn) {
          throw new CorruptWalException(file, pos, torn + WHOLE_RECORDS_ONLY);
        }
        return new Scan(records, pos, torn, contents.written);
      }
      WalRecord.Type type = WalRecord.Type.ofCode(bytes.get(pos) & 0xff);
      if (type == null) {
        throw new CorruptWalException(file, pos, "unknown record type " + (bytes.get(pos) & 0xff));
      }
      int end = pos + WalRecord.HEADER_SIZE + (int) length;
      bytes = contents.upTo(end);
      int payloadStart = pos + WalRecord.HEADER_SIZE;
      if (WalRecord.crc(bytes, payloadStart, (int) length) != bytes.getInt(pos + 8)) {
        if (!tailMayBeTorn || !contents.hasZeroSector(pos, end)) {
          throw new CorruptWalException(file, pos, "record payload checksum mismatch");
        }
        return new Scan(
            records, pos, "the last record's payload was not fully written", contents.written);
      }
      ByteBuffer payload = bytes.duplicate().limit(end).position(payloadStart).slice();
      records.add(new Framed(type, pos, payload));
      pos = end;
    }
    return new Scan(records, pos, null, contents.written);
  }

  /**
   * A file's bytes up to the last one that is not zero; the zeros after it, often most of a
   * preallocated segment, are known without being kept, and are added only where a record needs
   * them (one that ends in zero bytes).
   */
  private static final class Contents {
    // A disk writes a sector whole or not at all: etcd's minSectorSize, which its torn-write check
    // uses too.
    private static final int SECTOR = 512;
    private static final int SLACK = 64 * 1024;

    final long size;
    final int written;
    private byte[] data;

    private Contents(long size, int written, byte[] data) {
      this.size = size;
      this.written = written;
      this.data = data;
    }

    static Contents read(Path file) throws IOException {
      try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
        long size = ch.size();
        if (size > Integer.MAX_VALUE - SLACK) {
          throw new CorruptWalException(file, 0, "file of " + size + " bytes is too large");
        }
        int written = writtenEnd(ch, (int) size);
        byte[] data = new byte[(int) Math.min(size, written + SLACK)];
        ByteBuffer into = ByteBuffer.wrap(data, 0, written);
        while (into.hasRemaining()) {
          if (ch.read(into, into.position()) < 0) {
            throw new CorruptWalException(file, into.position(), "file shrank while read");
          }
        }
        return new Contents(size, written, data);
      }
    }

    /** Reads backwards for the end of what is not zero; reserved space reads back as zeros. */
    private static int writtenEnd(FileChannel ch, int size) throws IOException {
      ByteBuffer block = ByteBuffer.allocate(SLACK);
      int end = size;
      while (end > 0) {
        int from = Math.max(0, end - block.capacity());
        block.clear().limit(end - from);
        while (block.hasRemaining() && ch.read(block, from + block.position()) >= 0) {
          // a positional read may return fewer bytes than asked
        }
        for (int i = block.position() - 1; i >= 0; i--) {
          if (block.get(i) != 0) {
            return from + i + 1;
          }
        }
        end = from;
      }
      return 0;
    }

    boolean zerosFrom(int pos) {
      return pos >= written;
    }

    /** The bytes up to {@code end} (at most the file's size), zeros after the written part. */
    ByteBuffer upTo(int end) {
      if (end > data.length) {
        data = Arrays.copyOf(data, end);
      }
      return ByteBuffer.wrap(data).asReadOnlyBuffer();
    }

    /** Whether a sector's share of {@code [from, to)} is all zeros: a write that stopped there. */
    boolean hasZeroSector(int from, int to) {
      int chunkStart = from;
      while (chunkStart < to) {
        int chunkEnd = Math.min(to, (chunkStart / SECTOR + 1) * SECTOR);
        boolean zeros = true;
        for (int i = chunkStart; i < chunkEnd && zeros; i++) {
          zeros = i >= data.length || data[i] == 0;
        }
        if (zeros) {
          return true;
        }
        chunkStart = chunkEnd;
      }
      return false;
    }
  }
}
