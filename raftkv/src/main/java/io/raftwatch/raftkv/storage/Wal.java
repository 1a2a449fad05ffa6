package io.raftwatch.raftkv.storage;

import io.raftwatch.raftkv.raft.Entry;
import io.raftwatch.raftkv.raft.HardState;
import io.raftwatch.raftkv.raft.SnapshotMetadata;
import io.prometheus.client.Histogram;
import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The write-ahead log: makes the Raft core's entries, hard state and snapshot markers durable
 * before the messages that depend on them are sent. Opened once per member by the raft loop, which
 * calls {@link #save} each cycle; {@code save} is also safe from several threads at once, and then
 * concurrent callers share fsyncs (group commit). Every method blocks on disk I/O.
 *
 * <p>As in etcd, the segment being written is preallocated to the segment size ({@link
 * Preallocator}), so that appends do not grow the file, and is cut back to its records when it is
 * sealed or the log is closed; after a crash, the zeros of the reserved space mark where the
 * records end.
 *
 * <p>After an I/O error the log refuses further writes: what reached the disk is unknown, and a
 * retried fsync may report success for pages the kernel already dropped. Reopen to recover.
 */
public final class Wal implements Closeable {
  private static final Logger log = LoggerFactory.getLogger(Wal.class);
  /** Locked while a Wal is open, so that two processes never append to one log. */
  static final String LOCK_FILE = "wal.lock";

  private final Path dir;
  private final WalOptions options;
  private final StorageMetrics metrics;
  private final WalContents recovered;
  private final FileChannel lock; // Holds the lock on LOCK_FILE until close.

  // Group commit: one thread at a time is the sync leader (syncing == true) and calls force()
  // with no lock held; the others wait on syncDone and return as soon as synced covers their
  // bytes. Starting a segment and closing also take the leadership, so that no force() runs on a
  // channel being closed. Order: leadership, then writeLock. syncLock is only held briefly.
  private final ReentrantLock syncLock = new ReentrantLock();
  private final Condition syncDone = syncLock.newCondition();
  private final ReentrantLock writeLock = new ReentrantLock(); // Never held across a force().

  // Guarded by syncLock. synced is in bytes since open, counted like written.
  // Invariant: synced <= written.
  private long synced;
  private boolean syncing;

  // Guarded by writeLock.
  private final List<WalSegment> segments; // Oldest first; the last is being appended to.
  private FileChannel channel; // The last segment, positioned at its end.
  private long segmentSize; // Bytes in the last segment.
  private long written; // Bytes written since open, over all segments.
  private long lastIndex; // Index of the last entry written (or of the snapshot, if higher).
  private HardState hardState; // Last written; copied to the head of each new segment.
  private SnapshotMetadata snapshot; // Newest marker; copied to the head of each new segment.
  private boolean closed;
  private volatile IOException failure;

  private Wal(
      Path dir,
      WalOptions options,
      StorageMetrics metrics,
      List<WalSegment> segments,
      FileChannel channel,
      WalContents recovered,
      FileChannel lock) throws IOException {
    this.dir = dir;
    this.lock = lock;
    this.options = options;
    this.metrics = metrics;
    this.segments = segments;
    this.channel = channel;
    this.recovered = recovered;
    this.segmentSize = channel.position(); // not its size: the rest may be reserved space
    this.lastIndex = recovered.lastIndex();
    this.hardState = recovered.hardState();
    this.snapshot = recovered.snapshot();
  }

  /**
   * Opens the log in {@code dir}, creating it if needed, and recovers what it holds. A torn last
   * record of the last segment is cut off and logged at warn; anything else that does not read back
   * is refused.
   *
   * @throws CorruptWalException naming the file and byte offset of the first bad record
   */
  public static Wal open(Path dir, WalOptions options, StorageMetrics metrics) throws IOException {
    Files.createDirectories(dir);
    FileChannel lock = lockDirectory(dir);
    try {
      return recover(dir, options, metrics, lock);
    } catch (IOException | RuntimeException e) {
      lock.close();
      throw e;
    }
  }

  private static Wal recover(Path dir, WalOptions options, StorageMetrics metrics, FileChannel lock)
      throws IOException {
    List<WalSegment> segments = listSegments(dir);
    if (segments.isEmpty()) {
      WalSegment first = WalSegment.in(dir, 0, 0);
      FileChannel channel = FileChannel.open(first.file(), StandardOpenOption.CREATE_NEW,
          StandardOpenOption.WRITE);
      Preallocator.preallocate(first.file(), options.segmentBytes());
      syncDirectory(dir);
      return new Wal(dir, options, metrics, segments(first), channel,
          new WalReplay(SnapshotMetadata.EMPTY).contents(), lock);
    }
    List<WalReader.Scan> scans = new ArrayList<>();
    SnapshotMetadata newest = SnapshotMetadata.EMPTY;
    for (int i = 0; i < segments.size(); i++) {
      Path file = segments.get(i).file();
      WalReader.Scan scan = WalReader.scan(file, i == segments.size() - 1);
      newest = WalReplay.newestMarker(file, scan.records(), newest);
      scans.add(scan);
    }
    WalReplay replay = new WalReplay(newest);
    for (int i = 0; i < segments.size(); i++) {
      for (WalReader.Framed record : scans.get(i).records()) {
        replay.apply(segments.get(i).file(), record);
      }
    }
    WalReader.Scan scan = scans.get(scans.size() - 1);
    Path last = segments.get(segments.size() - 1).file();
    FileChannel channel = FileChannel.open(last, StandardOpenOption.WRITE);
    try {
      if (scan.tornTail() != null) {
        log.warn(
            "WAL {}: truncating a torn tail at byte offset {} ({}), {} bytes dropped",
            last, scan.validEnd(), scan.tornTail(), scan.writtenEnd() - scan.validEnd());
        channel.truncate(scan.validEnd());
        channel.force(true);
      }
      channel.position(scan.validEnd());
      // Reserve the rest of the segment again: a clean close or the truncation gave it back.
      Preallocator.preallocate(last, options.segmentBytes());
    } catch (IOException e) {
      channel.close();
      throw e;
    }
    return new Wal(dir, options, metrics, segments, channel, replay.contents(), lock);
  }

  private static FileChannel lockDirectory(Path dir) throws IOException {
    FileChannel ch =
        FileChannel.open(
            dir.resolve(LOCK_FILE), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
    try {
      if (ch.tryLock() != null) {
        return ch;
      }
    } catch (OverlappingFileLockException e) {
      // Held by another Wal in this JVM: refused below, as for another process.
    } catch (IOException | RuntimeException e) {
      ch.close();
      throw e;
    }
    ch.close();
    throw new IOException("WAL directory " + dir + " is in use: another Wal holds " + LOCK_FILE);
  }

  /** What {@link #open} recovered; unchanged by later writes. */
  public WalContents recovered() {
    return recovered;
  }

  /**
   * Appends {@code entries}, then {@code hardState}, and returns once they are on disk. As etcd's
   * WAL does, a save that only moves the commit index (no entries, same term and vote) is written
   * but not forced: a commit index lost in a crash is learned again from the leader, and entries
   * at or below it that were applied are skipped by their consistent index, so it needs no fsync of
   * its own; the next forced save makes it durable with everything before it.
   *
   * @param hardState the hard state to persist, or null if unchanged (as in {@code Ready})
   * @param entries consecutive indexes, starting anywhere up to the last index + 1: entries at or
   *     above the first one are replaced (Raft overwriting an uncommitted suffix)
   * @throws IllegalArgumentException if the entries are not consecutive or would leave a gap, which
   *     would make the log unreadable; nothing is written then
   */
  public void save(HardState hardState, List<Entry> entries) throws IOException {
    int size = hardState == null ? 0 : WalRecord.size(hardState);
    for (int i = 0; i < entries.size(); i++) {
      if (i > 0 && entries.get(i).index() != entries.get(i - 1).index() + 1) {
        throw new IllegalArgumentException(
            "entries are not consecutive: " + entries.get(i - 1).index() + " then "
                + entries.get(i).index());
      }
      size += WalRecord.size(entries.get(i));
    }
    if (size == 0) {
      return;
    }
    ByteBuffer batch = ByteBuffer.allocate(size);
    for (Entry e : entries) {
      WalRecord.encode(e, batch);
    }
    if (hardState != null) {
      WalRecord.encode(hardState, batch);
    }
    Appended appended = write(batch.flip(), entries, hardState, null);
    if (appended.mustSync()) {
      sync(appended.end());
    }
  }

  /**
   * Records that a snapshot up to {@code metadata.index()} exists (the snapshot file itself is
   * written by {@link Snapshotter}, first), and returns once the marker is on disk. Replay drops
   * the entries it covers, so call {@link #releaseTo} only after this.
   */
  public void saveSnapshotMarker(SnapshotMetadata metadata) throws IOException {
    ByteBuffer record = ByteBuffer.allocate(WalRecord.size(metadata));
    WalRecord.encode(metadata, record);
    sync(write(record.flip(), List.of(), null, metadata).end());
  }

  /**
   * Deletes the segments whose entries all lie at or below {@code index}, capped at the newest
   * snapshot marker written, so that what remains still replays from a snapshot. The segment being
   * appended to is always kept.
   */
  public void releaseTo(long index) throws IOException {
    writeLock.lock();
    try {
      checkUsable();
      long upTo = Math.min(index, snapshot.index());
      int release = 0;
      while (release < segments.size() - 1 && segments.get(release + 1).firstIndex() <= upTo) {
        release++;
      }
      for (WalSegment s : segments.subList(0, release)) {
        Files.delete(s.file());
        log.debug("WAL: released {} (entries below {})", s.file(), upTo);
      }
      segments.subList(0, release).clear();
      if (release > 0) {
        syncDirectory(dir);
      }
    } finally {
      writeLock.unlock();
    }
  }

  /** Flushes what is written and closes the current segment. Idempotent. */
  @Override
  public void close() throws IOException {
    lead(Long.MAX_VALUE);
    writeLock.lock();
    try {
      if (closed) {
        return;
      }
      closed = true;
      try {
        if (failure == null) {
          // A closed log keeps no reserved space; the next open reserves it again.
          channel.truncate(segmentSize);
          if (syncedUpTo() < written) {
            force(channel);
          }
        }
      } finally {
        try {
          channel.close();
        } finally {
          lock.close();
        }
      }
    } finally {
      writeLock.unlock();
      endLead(0);
    }
  }

  /** The segment files currently making up the log, oldest first (for tests and tools). */
  List<Path> segmentFiles() {
    writeLock.lock();
    try {
      return segments.stream().map(WalSegment::file).toList();
    } finally {
      writeLock.unlock();
    }
  }

  /**
   * Where a write left the log's end, and whether what it holds must be forced before the caller
   * relies on it: anything but a hard state that differs from the last only in its commit index.
   */
  private record Appended(long end, boolean mustSync) {}

  /**
   * Writes {@code bytes} at the end of the log, starting a new segment first if the current one is
   * full. The last three arguments say what the bytes hold, for checks, for the next segment's head
   * and name, and for whether they must be forced; the hard state and the marker are null if the
   * bytes have none.
   */
  private Appended write(
      ByteBuffer bytes,
      List<Entry> entries,
      HardState newHardState,
      SnapshotMetadata marker) throws IOException {
    if (isFull()) {
      lead(Long.MAX_VALUE);
      long sealed = 0;
      writeLock.lock();
      try {
        if (segmentSize >= options.segmentBytes()) {
          sealed = cut();
        }
      } finally {
        writeLock.unlock();
        endLead(sealed);
      }
    }
    writeLock.lock();
    try {
      checkUsable();
      if (!entries.isEmpty() && entries.get(0).index() > lastIndex + 1) {
        throw new IllegalArgumentException(
            "entry " + entries.get(0).index() + " would leave a gap after the last index "
                + lastIndex);
      }
      int length = bytes.remaining();
      try {
        while (bytes.hasRemaining()) {
          channel.write(bytes);
        }
      } catch (IOException e) {
        throw fail(e);
      }
      written += length;
      segmentSize += length;
      metrics.walWriteBytes.inc(length);
      if (!entries.isEmpty()) {
        lastIndex = entries.get(entries.size() - 1).index();
      }
      boolean mustSync = !entries.isEmpty() || marker != null;
      if (newHardState != null) {
        mustSync |= newHardState.term() != hardState.term()
            || newHardState.vote() != hardState.vote();
        hardState = newHardState;
      }
      if (marker != null && marker.index() >= snapshot.index()) {
        snapshot = marker;
        lastIndex = Math.max(lastIndex, marker.index());
      }
      return new Appended(written, mustSync);
    } finally {
      writeLock.unlock();
    }
  }

  /**
   * Returns once every byte up to log position {@code end} is on disk. One caller at a time, the
   * leader, forces everything written so far; when it is done, the waiters whose bytes that
   * covered return without a force() of their own, and one of the rest leads the next.
   */
  private void sync(long end) throws IOException {
    if (!lead(end)) {
      return;
    }
    long target = 0;
    boolean forced = false;
    try {
      FileChannel current;
      writeLock.lock();
      try {
        checkUsable();
        target = written;
        current = channel; // Older segments were forced by cut() before it moved on.
      } finally {
        writeLock.unlock();
      }
      force(current);
      forced = true;
    } finally {
      endLead(forced ? target : 0);
    }
  }

  /**
   * Waits until either the log is synced up to {@code end} (returns false) or this thread is the
   * sync leader (returns true), who must call {@link #endLead} in a finally block.
   */
  private boolean lead(long end) {
    syncLock.lock();
    try {
      while (syncing && synced < end) {
        syncDone.awaitUninterruptibly(); // The leader's force() ends soon, or fails.
      }
      if (synced >= end) {
        return false;
      }
      syncing = true;
      return true;
    } finally {
      syncLock.unlock();
    }
  }

  private long syncedUpTo() {
    syncLock.lock(); // A leaf lock: nothing is acquired while it is held.
    try {
      return synced;
    } finally {
      syncLock.unlock();
    }
  }

  /** Ends this thread's leadership, recording that the log is synced up to {@code newSynced}. */
  private void endLead(long newSynced) {
    syncLock.lock();
    try {
      synced = Math.max(synced, newSynced);
      syncing = false;
      syncDone.signalAll();
    } finally {
      syncLock.unlock();
    }
  }

  /**
   * Seals the current segment (forced, then closed) and starts the next one, whose head repeats
   * the hard state and snapshot marker so that older segments can be released. Called by the sync
   * leader holding writeLock; returns the position up to which the log is now synced.
   */
  private long cut() throws IOException {
    checkUsable();
    try {
      channel.truncate(segmentSize); // a sealed segment ends on its last record, as in etcd
    } catch (IOException e) {
      throw fail(e);
    }
    force(channel);
    WalSegment next = segments.get(segments.size() - 1).next(lastIndex + 1);
    ByteBuffer head = ByteBuffer.allocate(WalRecord.size(hardState) + WalRecord.size(snapshot));
    if (!hardState.isEmpty()) {
      WalRecord.encode(hardState, head);
    }
    if (snapshot.index() > 0) {
      WalRecord.encode(snapshot, head);
    }
    head.flip();
    int length = head.remaining();
    try {
      channel.close();
      channel = FileChannel.open(next.file(), StandardOpenOption.CREATE_NEW,
          StandardOpenOption.WRITE);
      Preallocator.preallocate(next.file(), options.segmentBytes());
      while (head.hasRemaining()) {
        channel.write(head);
      }
    } catch (IOException e) {
      throw fail(e);
    }
    segments.add(next);
    segmentSize = length;
    written += length;
    metrics.walWriteBytes.inc(length);
    force(channel);
    try {
      syncDirectory(dir);
    } catch (IOException e) {
      throw fail(e);
    }
    log.debug("WAL: started segment {}", next.file());
    return written;
  }

  private boolean isFull() {
    writeLock.lock();
    try {
      return segmentSize >= options.segmentBytes();
    } finally {
      writeLock.unlock();
    }
  }

  private void force(FileChannel ch) throws IOException {
    Histogram.Timer timer = metrics.walFsyncDuration.startTimer();
    try {
      ch.force(false);
    } catch (IOException e) {
      throw fail(e);
    } finally {
      timer.observeDuration();
    }
  }

  private IOException fail(IOException e) {
    if (failure == null) {
      failure = e;
      log.error("WAL in {} failed; it refuses writes until reopened", dir, e);
    }
    return e;
  }

  private void checkUsable() throws IOException {
    if (closed) {
      throw new IllegalStateException("WAL in " + dir + " is closed");
    }
    if (failure != null) {
      throw new IOException("WAL in " + dir + " failed earlier; reopen it to recover", failure);
    }
  }

  private static List<WalSegment> listSegments(Path dir) throws IOException {
    List<WalSegment> segments;
    try (Stream<Path> files = Files.list(dir)) {
      segments =
          files
              .map(WalSegment::parse)
              .flatMap(Optional::stream)
              .sorted(Comparator.comparingLong(WalSegment::sequence))
              .collect(Collectors.toCollection(ArrayList::new));
    }
    for (int i = 1; i < segments.size(); i++) {
      WalSegment s = segments.get(i);
      long expected = segments.get(i - 1).sequence() + 1;
      if (s.sequence() != expected) {
        throw new CorruptWalException(
            s.file(), 0, "segment sequence " + s.sequence() + " where " + expected
                + " was expected: a segment is missing");
      }
    }
    return segments;
  }

  private static List<WalSegment> segments(WalSegment first) {
    List<WalSegment> list = new ArrayList<>();
    list.add(first);
    return list;
  }

  /** Makes a file's creation, rename or deletion in {@code dir} durable. */
  static void syncDirectory(Path dir) throws IOException {
    try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
      d.force(true);
    }
  }
}
