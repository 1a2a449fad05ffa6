package io.raftwatch.raftkv.mvcc;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.CRC32C;
import java.util.zip.CheckedInputStream;
import java.util.zip.CheckedOutputStream;

/**
 * The portable snapshot format of a {@link Backend}, shared by both implementations so a snapshot
 * taken from one restores into the other. All integers big-endian:
 *
 * <pre>
 * magic "RKVSNAP1"
 * record*          bucket ordinal u8, key length u32, key, value length u32, value
 * end              0xFF
 * crc              u32 CRC32C of every byte before it
 * </pre>
 *
 * Raft snapshots between raftkv members use it; what the Maintenance Snapshot RPC streams to
 * clients is a bbolt file instead ({@link BoltFile}), as etcd's is. Stateless.
 */
final class BackendSnapshot {
  private static final byte[] MAGIC = {'R', 'K', 'V', 'S', 'N', 'A', 'P', '1'};
  private static final int END = 0xFF;

  private BackendSnapshot() {}

  static void write(Backend backend, OutputStream out) throws IOException {
    CheckedOutputStream checked = new CheckedOutputStream(out, new CRC32C());
    DataOutputStream data = new DataOutputStream(checked);
    data.write(MAGIC);
    IOException[] failure = new IOException[1];
    for (Bucket bucket : Bucket.values()) {
      backend.range(
          bucket,
          new byte[0],
          null,
          (k, v) -> {
            try {
              data.writeByte(bucket.ordinal());
              data.writeInt(k.length);
              data.write(k);
              data.writeInt(v.length);
              data.write(v);
              return true;
            } catch (IOException e) {
              failure[0] = e;
              return false;
            }
          });
      if (failure[0] != null) {
        throw failure[0];
      }
    }
    data.writeByte(END);
    data.flush();
    new DataOutputStream(out).writeInt((int) checked.getChecksum().getValue());
    out.flush();
  }

  /** One bucket entry of a snapshot. */
  record Entry(Bucket bucket, byte[] key, byte[] value) {}

  /**
   * Reads and verifies a whole snapshot before anything is applied, so a damaged one leaves the
   * backend as it was. NB: holds the snapshot in memory.
   */
  static List<Entry> read(InputStream in) throws IOException {
    CheckedInputStream checked = new CheckedInputStream(in, new CRC32C());
    DataInputStream data = new DataInputStream(checked);
    byte[] magic = new byte[MAGIC.length];
    List<Entry> entries = new ArrayList<>();
    try {
      data.readFully(magic);
      if (!Arrays.equals(magic, MAGIC)) {
        throw new IOException("mvcc snapshot: bad magic, not a raftkv backend snapshot");
      }
      while (true) {
        int b = data.readUnsignedByte();
        if (b == END) {
          break;
        }
        if (b >= Bucket.values().length) {
          throw new IOException(
              "mvcc snapshot: unknown bucket " + b + " at record " + entries.size());
        }
        entries.add(
            new Entry(
                Bucket.values()[b],
                readBlock(data, entries.size()),
                readBlock(data, entries.size())));
      }
      int want = (int) checked.getChecksum().getValue();
      int got = new DataInputStream(in).readInt();
      if (want != got) {
        throw new IOException("mvcc snapshot: CRC mismatch after " + entries.size() + " records");
      }
    } catch (EOFException e) {
      throw new IOException("mvcc snapshot: truncated", e);
    }
    return entries;
  }

  private static byte[] readBlock(DataInputStream data, long record) throws IOException {
    int n = data.readInt();
    if (n < 0 || n > (1 << 30)) {
      throw new IOException("mvcc snapshot: bad length " + n + " at record " + record);
    }
    byte[] b = new byte[n];
    data.readFully(b);
    return b;
  }
}
