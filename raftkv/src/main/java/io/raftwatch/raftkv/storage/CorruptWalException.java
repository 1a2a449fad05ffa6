package io.raftwatch.raftkv.storage;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A WAL segment or snapshot file holds bytes that cannot be a record raftkv wrote, somewhere a torn
 * write cannot explain. Thrown by {@link Wal#open} and {@link Snapshotter}; the data is left on
 * disk untouched for an operator to inspect, and nothing is skipped or truncated.
 */
public final class CorruptWalException extends IOException {
  private static final long serialVersionUID = 1L;

  private final Path file;
  private final long offset;

  public CorruptWalException(Path file, long offset, String reason) {
    super("corrupt record in " + file + " at byte offset " + offset + ": " + reason);
    this.file = file;
    this.offset = offset;
  }

  /** The file that holds the bad record. */
  public Path file() {
    return file;
  }

  /** Byte offset of the start of the bad record within {@link #file()}. */
  public long offset() {
    return offset;
  }
}
