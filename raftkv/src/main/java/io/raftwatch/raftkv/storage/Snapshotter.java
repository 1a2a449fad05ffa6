package io.raftwatch.raftkv.storage;

import io.raftwatch.raftkv.raft.Snapshot;
import io.raftwatch.raftkv.raft.SnapshotMetadata;
import io.prometheus.client.Histogram;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Snapshot files in one directory, named {@code %016x-%016x.snap} (term, index) as etcd names
 * them, each a single checksummed record (see {@code package-info.java}). A file appears whole or
 * not at all: it is written under a temporary name, fsynced, renamed, and the directory fsynced.
 * Called by the raft loop thread; not safe for concurrent use.
 */
public final class Snapshotter {
  /** etcd's default for {@code --max-snapshots}. */
  public static final int DEFAULT_RETAIN = 5;

  private static final Logger log = LoggerFactory.getLogger(Snapshotter.class);
  private static final Pattern NAME = Pattern.compile("([0-9a-f]{16})-([0-9a-f]{16})\\.snap");
  private static final String TEMP_SUFFIX = ".tmp";

  private final Path dir;
  private final int retain;
  private final StorageMetrics metrics;

  /**
   * @param retain how many snapshot files {@link #save} keeps, newest first; at least 1
   */
  public Snapshotter(Path dir, int retain, StorageMetrics metrics) throws IOException {
    if (retain < 1) {
      throw new IllegalArgumentException("retain must be at least 1, got " + retain);
    }
    this.dir = Files.createDirectories(dir);
    this.retain = retain;
    this.metrics = metrics;
  }

  /**
   * Writes {@code snapshot} durably, then deletes the oldest files beyond the retained count.
   * Returns the file written.
   */
  public Path save(Snapshot snapshot) throws IOException {
    if (snapshot.isEmpty()) {
      throw new IllegalArgumentException("cannot save an empty snapshot (index 0)");
    }
    Histogram.Timer timer = metrics.snapSaveDuration.startTimer();
    Path file;
    try {
      SnapshotMetadata m = snapshot.metadata();
      file = dir.resolve(String.format("%016x-%016x.snap", m.term(), m.index()));
      Path temp = dir.resolve(file.getFileName() + TEMP_SUFFIX);
      ByteBuffer bytes = WalRecord.encodeSnapshotFile(m, snapshot.data());
      try (FileChannel ch =
          FileChannel.open(
              temp,
              StandardOpenOption.CREATE,
              StandardOpenOption.TRUNCATE_EXISTING,
              StandardOpenOption.WRITE)) {
        while (bytes.hasRemaining()) {
          ch.write(bytes);
        }
        ch.force(true);
      }
      Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      Wal.syncDirectory(dir);
    } finally {
      timer.observeDuration();
    }
    List<Path> files = snapshotFiles();
    for (Path old : files.subList(Math.min(retain, files.size()), files.size())) {
      Files.delete(old);
      log.debug("snapshot {} removed: {} newer ones are kept", old, retain);
    }
    return file;
  }

  /**
   * The newest snapshot that reads back whole, or empty if there is no snapshot file. A corrupt
   * file is logged at warn and an older one is tried; which one is used is logged too. Leftover
   * temporary files of an interrupted {@link #save} are deleted.
   *
   * @throws CorruptWalException if snapshot files exist but none is valid (the newest's error)
   */
  public Optional<Snapshot> loadNewest() throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      for (Path temp : files.filter(f -> f.toString().endsWith(TEMP_SUFFIX)).toList()) {
        log.info("snapshot: deleting {}, left by an interrupted save", temp);
        Files.delete(temp);
      }
    }
    CorruptWalException newestError = null;
    for (Path file : snapshotFiles()) {
      try {
        Snapshot snapshot = read(file);
        if (newestError != null) {
          log.warn("snapshot: using the older {} (index {}) since {} is corrupt",
              file, snapshot.metadata().index(), newestError.file());
        }
        return Optional.of(snapshot);
      } catch (CorruptWalException e) {
        log.warn("snapshot: {}; trying an older snapshot", e.getMessage());
        if (newestError == null) {
          newestError = e;
        }
      }
    }
    if (newestError != null) {
      throw newestError;
    }
    return Optional.empty();
  }

  /** Reads one snapshot file, checking its checksums and that its name matches its metadata. */
  static Snapshot read(Path file) throws IOException {
    WalReader.Scan scan = WalReader.scan(file, false);
    List<WalReader.Framed> records = scan.records();
    if (records.size() != 1 || records.get(0).type() != WalRecord.Type.SNAPSHOT_FILE) {
      throw new CorruptWalException(file, 0,
          "a snapshot file holds one snapshot record, found " + records.size() + " records");
    }
    ByteBuffer payload = records.get(0).payload();
    SnapshotMetadata m;
    try {
      m = WalRecord.decodeMetadata(payload);
    } catch (IllegalArgumentException e) {
      throw new CorruptWalException(file, 0, e.getMessage());
    }
    String expected = String.format("%016x-%016x.snap", m.term(), m.index());
    if (!file.getFileName().toString().equals(expected)) {
      throw new CorruptWalException(file, 0, "holds term " + m.term() + " index " + m.index()
          + ", which belongs in " + expected);
    }
    byte[] data = new byte[payload.remaining()];
    payload.get(data);
    return new Snapshot(m, data);
  }

  /** Snapshot files, newest (highest index, then term) first. */
  private List<Path> snapshotFiles() throws IOException {
    record Named(Path file, long term, long index) {}
    List<Named> named = new ArrayList<>();
    try (Stream<Path> files = Files.list(dir)) {
      for (Path f : files.toList()) {
        Matcher m = NAME.matcher(f.getFileName().toString());
        if (m.matches()) {
          named.add(new Named(f, Long.parseUnsignedLong(m.group(1), 16),
              Long.parseUnsignedLong(m.group(2), 16)));
        }
      }
    }
    named.sort(Comparator.comparingLong(Named::index).thenComparingLong(Named::term).reversed());
    return named.stream().map(Named::file).toList();
  }
}
