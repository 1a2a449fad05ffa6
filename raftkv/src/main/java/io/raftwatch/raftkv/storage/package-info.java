/**
 * Durable storage of a raftkv member: the write-ahead log ({@link
 * io.raftwatch.raftkv.storage.Wal}) and snapshot files ({@link
 * io.raftwatch.raftkv.storage.Snapshotter}). The raft loop thread persists each {@code Ready}
 * here before sending the messages that depend on it. Knows nothing of gRPC or the key-value store.
 *
 * <h2>Records</h2>
 *
 * <p>Both kinds of file are sequences of records. All integers are big-endian.
 *
 * <pre>
 * offset size field
 *      0    1 type            1 entry, 2 hard state, 3 snapshot marker, 4 snapshot file
 *      1    3 reserved        zero
 *      4    4 length          payload bytes, unsigned
 *      8    4 payload CRC     CRC32C (Castagnoli) of the payload
 *     12    4 header CRC      CRC32C of bytes 0..11, so a damaged length is detected, never
 *                             mistaken for the end of the log
 *     16    n payload
 *
 * entry            term u64, index u64, entry type u8 (EntryType ordinal), data (rest)
 * hard state       term u64, vote u64, commit u64
 * snapshot marker  index u64, term u64, voter count u32, voters u64..., learner count u32,
 *                  learners u64...
 * snapshot file    the marker's fields, then the application's snapshot data (rest)
 * </pre>
 *
 * <h2>WAL segments</h2>
 *
 * <p>The log is a chain of files {@code %016x-%016x.wal}: a sequence number counting from 0
 * without gaps, and the index expected first in the segment (last index + 1 when it was started;
 * the first segment is {@code 0000000000000000-0000000000000000.wal}). Each {@code save} appends
 * its entries and then its hard state in one write, and returns after {@code
 * FileChannel.force}. Concurrent savers share one force (group commit). Once a segment holds
 * {@link io.raftwatch.raftkv.storage.WalOptions#segmentBytes()} bytes, the next write first
 * forces and closes it and starts the next segment, whose head repeats the current hard state and
 * snapshot marker. Every segment before the last is therefore complete and durable, and a prefix
 * of segments can be deleted after a snapshot ({@code releaseTo}) without losing state. While a
 * {@code Wal} is open it holds an exclusive lock on {@code wal.lock} in the directory, so a second
 * process (or a second {@code Wal} in the same one) cannot open the log.
 *
 * <h2>Replay (as etcd's WAL)</h2>
 *
 * <ul>
 *   <li>Segments are read in sequence order, records in file order.
 *   <li>The last hard state wins.
 *   <li>The snapshot marker with the highest index wins; entries at or below it are dropped.
 *   <li>An entry at index i replaces every entry at i or above: Raft may overwrite an uncommitted
 *       suffix. An entry beyond the last index + 1 is a gap, which is corruption ({@code save}
 *       refuses to write one).
 * </ul>
 *
 * <h2>Recovery</h2>
 *
 * <p>Only the end of the last segment may be torn: that is where a crash interrupts a write. The
 * tail from a record's start is cut off, and logged at warn with file and offset, when:
 *
 * <ul>
 *   <li>fewer than 16 bytes (a header) remain;
 *   <li>the header's checksum holds but its payload runs past the end of the file;
 *   <li>everything to the end of the file is zero bytes (a file extended but not yet written).
 * </ul>
 *
 * <p>Anything else is refused with {@link io.raftwatch.raftkv.storage.CorruptWalException}, which
 * names the file and the byte offset of the record: a header or payload checksum mismatch anywhere
 * (including in the last record: a flipped bit in data that was reported durable is not a torn
 * write), an unknown type, a payload that does not decode, a gap in indexes or in segment
 * sequence numbers, or any torn-looking end of a segment that is not the last. Nothing is skipped.
 *
 * <h2>Snapshot files</h2>
 *
 * <p>{@code %016x-%016x.snap} (term, index) holds exactly one snapshot-file record. It is written
 * as {@code NAME.snap.tmp}, fsynced, renamed to {@code NAME.snap} and the directory fsynced, so a
 * crash leaves either the whole file or a temporary one, which the next load deletes. Loading takes
 * the newest file that reads back whole; a corrupt one is logged and an older one is tried.
 */
package io.raftwatch.raftkv.storage;
