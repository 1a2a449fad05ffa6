package io.raftwatch.raftkv.transport;

import io.raftwatch.raftkv.raft.ConfState;
import io.raftwatch.raftkv.raft.Entry;
import io.raftwatch.raftkv.raft.EntryType;
import io.raftwatch.raftkv.raft.Message;
import io.raftwatch.raftkv.raft.Snapshot;
import io.raftwatch.raftkv.raft.SnapshotMetadata;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.TreeSet;

/** Seeded random messages of every type, and equality that compares byte[] fields by content. */
final class RandomMessages {
  private RandomMessages() {}

  static Message any(Random r) {
    long from = id(r);
    long to = id(r);
    long term = num(r);
    return switch (r.nextInt(12)) {
      case 0 -> append(r, r.nextInt(5));
      case 1 -> new Message.AppendResponse(from, to, term, num(r), r.nextBoolean(), num(r), num(r));
      case 2 -> new Message.Heartbeat(from, to, term, num(r), bytesOrNull(r));
      case 3 -> new Message.HeartbeatResponse(from, to, term, bytesOrNull(r));
      case 4 ->
          new Message.VoteRequest(from, to, term, num(r), num(r), r.nextBoolean(), r.nextBoolean());
      case 5 -> new Message.VoteResponse(from, to, term, r.nextBoolean(), r.nextBoolean());
      case 6 -> new Message.InstallSnapshot(from, to, term, snapshot(r, r.nextInt(2000)));
      case 7 -> new Message.TimeoutNow(from, to, term);
      case 8 -> new Message.Propose(from, to, 0, entries(r, r.nextInt(4)));
      case 9 -> new Message.ReadIndexRequest(from, to, 0, bytesOrNull(r));
      case 10 -> new Message.ReadIndexResponse(from, to, term, num(r), bytesOrNull(r));
      default -> new Message.TransferLeader(from, to, 0, id(r));
    };
  }

  static Message.AppendEntries append(Random r, int entries) {
    return new Message.AppendEntries(
        id(r), id(r), num(r), num(r), num(r), entries(r, entries), num(r));
  }

  static Snapshot snapshot(Random r, int size) {
    TreeSet<Long> voters = new TreeSet<>();
    TreeSet<Long> learners = new TreeSet<>();
    for (int i = r.nextInt(5); i > 0; i--) {
      voters.add(id(r));
    }
    for (int i = r.nextInt(3); i > 0; i--) {
      long l = id(r);
      if (!voters.contains(l)) {
        learners.add(l);
      }
    }
    byte[] data = new byte[size];
    r.nextBytes(data);
    return new Snapshot(
        new SnapshotMetadata(num(r), num(r), new ConfState(voters, learners)), data);
  }

  private static List<Entry> entries(Random r, int n) {
    List<Entry> out = new ArrayList<>();
    EntryType[] types = EntryType.values();
    for (int i = 0; i < n; i++) {
      byte[] data = new byte[r.nextInt(100)];
      r.nextBytes(data);
      out.add(new Entry(num(r), num(r), types[r.nextInt(types.length)], data));
    }
    return out;
  }

  /** Member ids are 64-bit hashes: use the full range, negative values included. */
  private static long id(Random r) {
    return r.nextLong();
  }

  /** Terms and indexes: mostly small, sometimes huge. */
  private static long num(Random r) {
    return r.nextInt(4) == 0 ? r.nextLong() & Long.MAX_VALUE : r.nextInt(1000);
  }

  private static byte[] bytesOrNull(Random r) {
    if (r.nextInt(4) == 0) {
      return null;
    }
    byte[] b = new byte[r.nextInt(16)];
    r.nextBytes(b);
    return b;
  }

  /** Records compare byte[] by identity; compare field by field with array contents instead. */
  static boolean sameMessage(Message a, Message b) {
    if (a.getClass() != b.getClass()) {
      return false;
    }
    for (var c : a.getClass().getRecordComponents()) {
      try {
        Object x = c.getAccessor().invoke(a);
        Object y = c.getAccessor().invoke(b);
        boolean same =
            x instanceof byte[] xb
                ? y instanceof byte[] yb && Arrays.equals(xb, yb)
                : java.util.Objects.equals(x, y);
        if (!same) {
          return false;
        }
      } catch (ReflectiveOperationException e) {
        throw new AssertionError(e);
      }
    }
    return true;
  }
}
