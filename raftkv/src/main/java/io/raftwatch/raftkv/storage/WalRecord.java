package io.raftwatch.raftkv.storage;

import io.raftwatch.raftkv.raft.ConfState;
import io.raftwatch.raftkv.raft.Entry;
import io.raftwatch.raftkv.raft.EntryType;
import io.raftwatch.raftkv.raft.HardState;
import io.raftwatch.raftkv.raft.SnapshotMetadata;
import java.nio.ByteBuffer;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.zip.CRC32C;

/**
 * The framing shared by WAL segments and snapshot files, and the payload codecs of each record
 * type. The layout is documented in {@code package-info.java}; all integers are big-endian.
 * Stateless; safe on any thread.
 */
final class WalRecord {
  /** type (1) + reserved (3) + payload length (4) + payload CRC32C (4) + header CRC32C (4). */
  static final int HEADER_SIZE = 16;

  /** The kind of a record. The code is persisted: never renumber. */
  enum Type {
    ENTRY(1),
    HARD_STATE(2),
    SNAPSHOT_MARKER(3),
    /** Only in snapshot files: metadata followed by the application's snapshot bytes. */
    SNAPSHOT_FILE(4);

    final int code;

    Type(int code) {
      this.code = code;
    }

    /** The type with this code, or null for a code no version of raftkv wrote. */
    static Type ofCode(int code) {
      for (Type t : values()) {
        if (t.code == code) {
          return t;
        }
      }
      return null;
    }
  }

  private WalRecord() {}

  static int size(Entry e) {
    return HEADER_SIZE + 17 + e.data().length;
  }

  static int size(HardState hs) {
    return HEADER_SIZE + 24;
  }

  static int size(SnapshotMetadata m) {
    return HEADER_SIZE + metadataSize(m);
  }

  static void encode(Entry e, ByteBuffer out) {
    int start = beginRecord(out);
    out.putLong(e.term()).putLong(e.index()).put((byte) e.type().ordinal()).put(e.data());
    endRecord(out, start, Type.ENTRY);
  }

  static void encode(HardState hs, ByteBuffer out) {
    int start = beginRecord(out);
    out.putLong(hs.term()).putLong(hs.vote()).putLong(hs.commit());
    endRecord(out, start, Type.HARD_STATE);
  }

  static void encode(SnapshotMetadata m, ByteBuffer out) {
    int start = beginRecord(out);
    putMetadata(m, out);
    endRecord(out, start, Type.SNAPSHOT_MARKER);
  }

  /** A snapshot file's single record: the metadata, then the data to the end of the payload. */
  static ByteBuffer encodeSnapshotFile(SnapshotMetadata m, byte[] data) {
    ByteBuffer out = ByteBuffer.allocate(HEADER_SIZE + metadataSize(m) + data.length);
    int start = beginRecord(out);
    putMetadata(m, out);
    out.put(data);
    endRecord(out, start, Type.SNAPSHOT_FILE);
    return out.flip();
  }

  /**
   * Decodes an entry payload.
   *
   * @throws IllegalArgumentException if the payload is not a valid entry; the caller adds where
   */
  static Entry decodeEntry(ByteBuffer payload) {
    require(payload, 17, "entry");
    long term = payload.getLong();
    long index = payload.getLong();
    int typeOrdinal = payload.get() & 0xff;
    EntryType[] types = EntryType.values();
    if (typeOrdinal >= types.length) {
      throw new IllegalArgumentException("unknown entry type " + typeOrdinal);
    }
    byte[] data = new byte[payload.remaining()];
    payload.get(data);
    return new Entry(term, index, types[typeOrdinal], data);
  }

  static HardState decodeHardState(ByteBuffer payload) {
    require(payload, 24, "hard state");
    HardState hs = new HardState(payload.getLong(), payload.getLong(), payload.getLong());
    requireConsumed(payload, "hard state");
    return hs;
  }

  /** Decodes a marker payload, or the metadata prefix of a snapshot file's payload. */
  static SnapshotMetadata decodeMetadata(ByteBuffer payload) {
    require(payload, 24, "snapshot metadata");
    long index = payload.getLong();
    long term = payload.getLong();
    SortedSet<Long> voters = getIds(payload);
    SortedSet<Long> learners = getIds(payload);
    return new SnapshotMetadata(index, term, new ConfState(voters, learners));
  }

  static SnapshotMetadata decodeMarker(ByteBuffer payload) {
    SnapshotMetadata m = decodeMetadata(payload);
    requireConsumed(payload, "snapshot marker");
    return m;
  }

  /** CRC32C of {@code length} bytes of {@code buf} from {@code offset}, leaving buf untouched. */
  static int crc(ByteBuffer buf, int offset, int length) {
    CRC32C crc = new CRC32C();
    if (buf.hasArray()) { // the records being written: no view object per checksum
      crc.update(buf.array(), buf.arrayOffset() + offset, length);
    } else {
      crc.update(buf.duplicate().limit(offset + length).position(offset));
    }
    return (int) crc.getValue();
  }

  private static int metadataSize(SnapshotMetadata m) {
    return 16 + 4 + 8 * m.confState().voters().size() + 4 + 8 * m.confState().learners().size();
  }

  private static void putMetadata(SnapshotMetadata m, ByteBuffer out) {
    out.putLong(m.index()).putLong(m.term());
    putIds(m.confState().voters(), out);
    putIds(m.confState().learners(), out);
  }

  private static void putIds(SortedSet<Long> ids, ByteBuffer out) {
    out.putInt(ids.size());
    for (long id : ids) {
      out.putLong(id);
    }
  }

  private static SortedSet<Long> getIds(ByteBuffer payload) {
    require(payload, 4, "member count");
    int count = payload.getInt();
    if (count < 0 || count > payload.remaining() / 8) {
      throw new IllegalArgumentException("member count " + count + " exceeds the payload");
    }
    SortedSet<Long> ids = new TreeSet<>();
    for (int i = 0; i < count; i++) {
      ids.add(payload.getLong());
    }
    return ids;
  }

  private static int beginRecord(ByteBuffer out) {
    int start = out.position();
    out.position(start + HEADER_SIZE);
    return start;
  }

  private static void endRecord(ByteBuffer out, int start, Type type) {
    int payloadLength = out.position() - start - HEADER_SIZE;
    out.put(start, (byte) type.code)
        .put(start + 1, (byte) 0)
        .put(start + 2, (byte) 0)
        .put(start + 3, (byte) 0)
        .putInt(start + 4, payloadLength)
        .putInt(start + 8, crc(out, start + HEADER_SIZE, payloadLength))
        .putInt(start + 12, crc(out, start, 12));
  }

  private static void require(ByteBuffer payload, int bytes, String what) {
    if (payload.remaining() < bytes) {
      throw new IllegalArgumentException(
          what + " needs " + bytes + " bytes, payload has " + payload.remaining());
    }
  }

  private static void requireConsumed(ByteBuffer payload, String what) {
    if (payload.hasRemaining()) {
      throw new IllegalArgumentException(
          what + " payload has " + payload.remaining() + " unexpected trailing bytes");
    }
  }
}
