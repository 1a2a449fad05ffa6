package io.raftwatch.raftkv.storage;

import java.io.IOException;
import java.nio.file.Path;
import jnr.ffi.LibraryLoader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reserves a WAL segment's blocks before it is written, as etcd's {@code fileutil.Preallocate}
 * does: appends inside reserved space leave the file's size alone, so their fdatasync need not
 * also commit the file system's journal for a new size, and a full disk shows when a segment is
 * started rather than in the middle of a write. Java has no call for it; libc's {@code
 * posix_fallocate} is reached through jnr-ffi, which lmdbjava already brings. Where libc or the
 * file system lacks it, segments grow as they are written, as before.
 */
final class Preallocator {
  private static final Logger log = LoggerFactory.getLogger(Preallocator.class);
  private static final int O_WRONLY = 1;
  private static final int ENOSPC = 28;
  private static final int ENOSYS = 38;
  private static final int EOPNOTSUPP = 95;

  /** The libc calls used, bound by jnr-ffi. */
  public interface LibC {
    int open(String path, int flags);

    int posix_fallocate(int fd, long offset, long length);

    int close(int fd);
  }

  private static final LibC LIBC = load();

  private Preallocator() {}

  private static LibC load() {
    try {
      return LibraryLoader.create(LibC.class).load("c");
    } catch (LinkageError | RuntimeException e) {
      log.debug("WAL segments are not preallocated: libc's posix_fallocate is out of reach: {}",
          e.toString());
      return null;
    }
  }

  /**
   * Makes {@code file} (which exists) at least {@code bytes} long with its blocks reserved; the
   * bytes it did not hold read as zeros. Returns false, changing nothing, where that is not
   * supported.
   *
   * @throws IOException naming the file when the reservation fails, for example for lack of space
   */
  static boolean preallocate(Path file, long bytes) throws IOException {
    if (LIBC == null) {
      return false;
    }
    int fd = LIBC.open(file.toString(), O_WRONLY);
    if (fd < 0) {
      throw new IOException("cannot open " + file + " to preallocate it");
    }
    try {
      int error;
      try {
        error = LIBC.posix_fallocate(fd, 0, bytes);
      } catch (UnsatisfiedLinkError e) { // a libc without it (macOS): bound only when first called
        return false;
      }
      if (error == ENOSYS || error == EOPNOTSUPP) {
        return false;
      }
      if (error != 0) {
        throw new IOException("cannot preallocate " + bytes + " bytes for " + file + ": errno "
            + error + (error == ENOSPC ? " (no space left on device)" : ""));
      }
      return true;
    } finally {
      LIBC.close(fd);
    }
  }
}
