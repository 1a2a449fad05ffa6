package io.raftwatch.raftkv.raft;

import java.util.ArrayList;
import java.util.List;
import java.util.function.LongFunction;

/**
 * The log held in memory: the server fills it from the WAL at start and appends what it persists
 * afterwards. Not thread-safe; only the raft loop touches it.
 */
public final class MemoryStorage implements Storage {
  private HardState hardState = HardState.EMPTY;
  private Snapshot snapshot = Snapshot.EMPTY;
  // Invariant: ents.get(0) is a dummy holding the snapshot's index and term.
  private final ArrayList<Entry> ents = new ArrayList<>();

  public MemoryStorage() {
    ents.add(new Entry(0, 0, EntryType.NORMAL, new byte[0]));
  }

  /**
   * A fresh storage for a founding member of a new cluster. As etcd does, the log starts with one
   * committed ConfChange entry per initial member at term 1: members that join later replay them
   * and so learn the initial membership. Persist {@link #bootstrapEntries} and {@link
   * #hardState()} before first use.
   */
  public static MemoryStorage bootstrap(ConfState confState) {
    return bootstrap(confState, id -> new byte[0]);
  }

  /** As {@link #bootstrap(ConfState)}, each entry's ConfChange carrying {@code context.apply(id)}. */
  public static MemoryStorage bootstrap(ConfState confState, LongFunction<byte[]> context) {
    MemoryStorage s = new MemoryStorage();
    s.snapshot = new Snapshot(new SnapshotMetadata(0, 0, confState), new byte[0]);
    List<Entry> ents = bootstrapEntries(confState, context);
    s.ents.addAll(ents);
    s.hardState = new HardState(1, 0, ents.size());
    return s;
  }

  /** The entries that found a cluster of {@code confState}: voters first, then learners. */
  public static List<Entry> bootstrapEntries(ConfState confState) {
    return bootstrapEntries(confState, id -> new byte[0]);
  }

  /** As {@link #bootstrapEntries(ConfState)}, with each member's ConfChange context. */
  public static List<Entry> bootstrapEntries(ConfState confState, LongFunction<byte[]> context) {
    List<Entry> ents = new ArrayList<>();
    for (long id : confState.voters()) {
      ConfChange cc = new ConfChange(ConfChangeType.ADD_NODE, id, context.apply(id));
      ents.add(new Entry(1, ents.size() + 1, EntryType.CONF_CHANGE, cc.encode()));
    }
    for (long id : confState.learners()) {
      ConfChange cc = new ConfChange(ConfChangeType.ADD_LEARNER_NODE, id, context.apply(id));
      ents.add(new Entry(1, ents.size() + 1, EntryType.CONF_CHANGE, cc.encode()));
    }
    return ents;
  }

  @Override
  public InitialState initialState() {
    return new InitialState(hardState, snapshot.metadata().confState());
  }

  public void setHardState(HardState hs) {
    hardState = hs;
  }

  public HardState hardState() {
    return hardState;
  }

  private long offset() {
    return ents.get(0).index();
  }

  @Override
  public List<Entry> entries(long lo, long hi, long maxSize) {
    long offset = offset();
    if (lo <= offset) {
      throw new CompactedException(lo, offset + 1);
    }
    if (hi > lastIndex() + 1) {
      throw new UnavailableException(hi - 1, lastIndex());
    }
    return limitSize(ents.subList((int) (lo - offset), (int) (hi - offset)), maxSize);
  }

  /** The longest prefix of {@code ents} within {@code maxSize} bytes, never empty if ents isn't. */
  static List<Entry> limitSize(List<Entry> ents, long maxSize) {
    if (ents.isEmpty()) {
      return List.of();
    }
    long size = ents.get(0).size();
    int n = 1;
    while (n < ents.size()) {
      size += ents.get(n).size();
      if (size > maxSize) {
        break;
      }
      n++;
    }
    return List.copyOf(ents.subList(0, n));
  }

  @Override
  public long term(long index) {
    long offset = offset();
    if (index < offset) {
      throw new CompactedException(index, offset + 1);
    }
    if (index - offset >= ents.size()) {
      throw new UnavailableException(index, lastIndex());
    }
    return ents.get((int) (index - offset)).term();
  }

  @Override
  public long firstIndex() {
    return offset() + 1;
  }

  @Override
  public long lastIndex() {
    return offset() + ents.size() - 1;
  }

  @Override
  public Snapshot snapshot() {
    return snapshot;
  }

  /** Replaces the log with {@code snap}; an older snapshot than the current one is ignored. */
  public boolean applySnapshot(Snapshot snap) {
    if (snap.metadata().index() <= snapshot.metadata().index() && !snapshot.isEmpty()) {
      return false;
    }
    snapshot = snap;
    ents.clear();
    ents.add(new Entry(snap.metadata().term(), snap.metadata().index(), EntryType.NORMAL, new byte[0]));
    return true;
  }

  /**
   * Records a snapshot of the application state at {@code index} (which must be applied), so it
   * can be sent to lagging followers; call {@link #compact} afterwards to drop the prefix.
   */
  public Snapshot createSnapshot(long index, ConfState cs, byte[] data) {
    if (index <= snapshot.metadata().index()) {
      throw new IllegalStateException(
          "snapshot at " + index + " is not newer than " + snapshot.metadata().index());
    }
    if (index > lastIndex()) {
      throw new IllegalStateException("snapshot index " + index + " > last index " + lastIndex());
    }
    snapshot = new Snapshot(new SnapshotMetadata(index, term(index), cs), data);
    return snapshot;
  }

  /** Discards entries up to and including {@code compactIndex}. */
  public void compact(long compactIndex) {
    long offset = offset();
    if (compactIndex <= offset) {
      return;
    }
    if (compactIndex > lastIndex()) {
      throw new IllegalStateException(
          "compact " + compactIndex + " is beyond last index " + lastIndex());
    }
    int i = (int) (compactIndex - offset);
    Entry dummy = new Entry(ents.get(i).term(), compactIndex, EntryType.NORMAL, new byte[0]);
    List<Entry> rest = new ArrayList<>(ents.subList(i + 1, ents.size()));
    ents.clear();
    ents.add(dummy);
    ents.addAll(rest);
  }

  /** Appends entries; an entry at an index already present truncates the log from there. */
  public void append(List<Entry> entries) {
    if (entries.isEmpty()) {
      return;
    }
    long first = firstIndex();
    long last = entries.get(0).index() + entries.size() - 1;
    if (last < first) {
      return; // entirely compacted already
    }
    List<Entry> toAdd = entries;
    if (first > entries.get(0).index()) {
      toAdd = entries.subList((int) (first - entries.get(0).index()), entries.size());
    }
    long offset = toAdd.get(0).index() - offset();
    if (offset > ents.size()) {
      throw new IllegalStateException(
          "missing log entries: last " + lastIndex() + ", appending at " + toAdd.get(0).index());
    }
    while (ents.size() > offset) {
      ents.remove(ents.size() - 1);
    }
    ents.addAll(toAdd);
  }
}
