package io.raftwatch.raftkv.mvcc;

import java.nio.ByteBuffer;

/**
 * A point in the store's history: the main revision of a write transaction and the sub revision of
 * one change inside it (etcd {@code revision}). Immutable value, any thread.
 *
 * <p>On disk a revision is the key of the "key" bucket: main and sub as big-endian u64 separated by
 * {@code '_'} (17 bytes), plus a trailing {@code 't'} for a tombstone, as etcd writes it, so the
 * byte order of keys is the order of revisions.
 */
public record Revision(long main, long sub) implements Comparable<Revision> {
  static final int BYTES = 17;
  static final int TOMBSTONE_BYTES = 18;
  private static final byte TOMBSTONE_MARK = 't';

  @Override
  public int compareTo(Revision o) {
    int c = Long.compare(main, o.main);
    return c != 0 ? c : Long.compare(sub, o.sub);
  }

  /** The 17-byte key of this revision, with the tombstone mark appended when asked. */
  byte[] toBytes(boolean tombstone) {
    ByteBuffer b = ByteBuffer.allocate(tombstone ? TOMBSTONE_BYTES : BYTES);
    b.putLong(main).put((byte) '_').putLong(sub);
    if (tombstone) {
      b.put(TOMBSTONE_MARK);
    }
    return b.array();
  }

  /** Reads the revision at the start of a "key" bucket key. */
  static Revision fromBytes(byte[] key) {
    if (key.length != BYTES && key.length != TOMBSTONE_BYTES) {
      throw new IllegalStateException(
          "mvcc: revision key of " + key.length + " bytes, want 17 or 18");
    }
    ByteBuffer b = ByteBuffer.wrap(key);
    long main = b.getLong();
    b.get();
    return new Revision(main, b.getLong());
  }

  static boolean isTombstone(byte[] key) {
    return key.length == TOMBSTONE_BYTES && key[BYTES] == TOMBSTONE_MARK;
  }

  /** The smallest key of revisions with this main revision; a range bound for backend scans. */
  static byte[] startOf(long main) {
    return new Revision(main, 0).toBytes(false);
  }

  @Override
  public String toString() {
    return main + "_" + sub;
  }
}
