package io.raftwatch.raftkv.raft;

import java.util.Arrays;
import java.util.Objects;

/**
 * A compacted prefix of the log: the application state after applying every entry up to
 * {@code metadata.index()}. {@code data} is opaque to Raft and is never mutated.
 */
public record Snapshot(SnapshotMetadata metadata, byte[] data) {
  public static final Snapshot EMPTY = new Snapshot(SnapshotMetadata.EMPTY, new byte[0]);

  public Snapshot {
    Objects.requireNonNull(metadata, "metadata");
    Objects.requireNonNull(data, "data");
  }

  public boolean isEmpty() {
    return metadata.index() == 0;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Snapshot s && metadata.equals(s.metadata) && Arrays.equals(data, s.data);
  }

  @Override
  public int hashCode() {
    return Objects.hash(metadata, Arrays.hashCode(data));
  }

  @Override
  public String toString() {
    return "Snapshot{" + metadata + ", " + data.length + " bytes}";
  }
}
