package io.raftwatch.raftkv.storage;

import java.nio.file.Path;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One segment file of the WAL, named as etcd names them: {@code %016x-%016x.wal}, the segment's
 * sequence number and then the index of the first entry appended to it (the last index + 1 when it
 * was created). Immutable; the open channel of the current segment is held by {@link Wal}.
 *
 * @param sequence position in the chain of segments, from 0, without gaps
 * @param firstIndex log index expected first in this segment; every live entry of an older
 *     segment is below it
 */
record WalSegment(Path file, long sequence, long firstIndex) {
  private static final Pattern NAME = Pattern.compile("([0-9a-f]{16})-([0-9a-f]{16})\\.wal");

  static WalSegment in(Path dir, long sequence, long firstIndex) {
    return new WalSegment(
        dir.resolve(String.format("%016x-%016x.wal", sequence, firstIndex)), sequence, firstIndex);
  }

  /** The segment this file is, or empty if its name is not a segment's. */
  static Optional<WalSegment> parse(Path file) {
    Matcher m = NAME.matcher(file.getFileName().toString());
    if (!m.matches()) {
      return Optional.empty();
    }
    return Optional.of(
        new WalSegment(
            file, Long.parseUnsignedLong(m.group(1), 16), Long.parseUnsignedLong(m.group(2), 16)));
  }

  WalSegment next(long firstIndex) {
    return in(file.getParent(), sequence + 1, firstIndex);
  }
}
