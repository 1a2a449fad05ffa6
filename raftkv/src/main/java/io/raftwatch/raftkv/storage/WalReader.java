package io.raftwatch.raftkv.storage;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
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
   */
  record Scan(List<Framed> records, long validEnd, String tornTail) {}

  private WalReader() {}

  /**
   * Reads every record of {@code file}.
   *
   * @param tailMayBeTorn whether an unfinished final write is expected here (the last segment);
   *     elsewhere it is corruption, since a segment is fsynced before the next one is created
   * @throws CorruptWalException naming the file and the offset of the first bad record
   */
  static Scan scan(Path file, boolean tailMayBeTorn) throws IOException {
    ByteBuffer bytes = ByteBuffer.wrap(Files.readAllBytes(file)).asReadOnlyBuffer();
    int size = bytes.limit();
    List<Framed> records = new ArrayList<>();
    int pos = 0;
    while (pos < size) {
      String torn = tornTail(bytes, pos);
      if (torn != null) {
        if (!tailMayBeTorn) {
          throw new CorruptWalException(file, pos, torn + WHOLE_RECORDS_ONLY);
        }
        return new Scan(records, pos, torn);
      }
      if (WalRecord.crc(bytes, pos, 12) != bytes.getInt(pos + 12)) {
        throw new CorruptWalException(file, pos, "record header checksum mismatch");
      }
      WalRecord.Type type = WalRecord.Type.ofCode(bytes.get(pos) & 0xff);
      if (type == null) {
        throw new CorruptWalException(file, pos, "unknown record type " + (bytes.get(pos) & 0xff));
      }
      long length = Integer.toUnsignedLong(bytes.getInt(pos + 4));
      long end = pos + WalRecord.HEADER_SIZE + length;
      if (end > size) {
        String reason =
            "record of " + length + " bytes ends at " + end + ", past the end of the file at "
                + size;
        if (!tailMayBeTorn) {
          throw new CorruptWalException(file, pos, reason + WHOLE_RECORDS_ONLY);
        }
        return new Scan(records, pos, reason);
      }
      int payloadStart = pos + WalRecord.HEADER_SIZE;
      if (WalRecord.crc(bytes, payloadStart, (int) length) != bytes.getInt(pos + 8)) {
        throw new CorruptWalException(file, pos, "record payload checksum mismatch");
      }
      ByteBuffer payload = bytes.duplicate().limit((int) end).position(payloadStart).slice();
      records.add(new Framed(type, pos, payload));
      pos = (int) end;
    }
    return new Scan(records, pos, null);
  }

  /**
   * Why the bytes from {@code pos} look like an unfinished final write, or null if they do not: a
   * header cut short, or nothing but zeros to the end (a file extended but never written, which is
   * what some file systems show after a crash). A header with a valid checksum whose payload runs
   * past the end is the third case, checked by the caller once the header is verified.
   */
  private static String tornTail(ByteBuffer bytes, int pos) {
    int size = bytes.limit();
    boolean zeros = true;
    for (int i = pos; i < size && zeros; i++) {
      zeros = bytes.get(i) == 0;
    }
    if (zeros) {
      return (size - pos) + " zero bytes at the end of the file";
    }
    if (size - pos < WalRecord.HEADER_SIZE) {
      return "record header cut short after " + (size - pos) + " of " + WalRecord.HEADER_SIZE
          + " bytes";
    }
    return null;
  }
}
