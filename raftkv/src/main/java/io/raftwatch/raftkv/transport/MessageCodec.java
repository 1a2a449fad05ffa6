package io.raftwatch.raftkv.transport;

import io.raftwatch.raftkv.raft.ConfState;
import io.raftwatch.raftkv.raft.Entry;
import io.raftwatch.raftkv.raft.EntryType;
import io.raftwatch.raftkv.raft.Message;
import io.raftwatch.raftkv.raft.Snapshot;
import io.raftwatch.raftkv.raft.SnapshotMetadata;
import io.raftwatch.raftkv.wire.ExactReader;
import io.raftwatch.raftkv.wire.ExactWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * The peer wire format of a {@link Message}: a version byte, a type tag, then the fields as
 * unsigned LEB128 varints and length-prefixed byte strings. Stateless and thread-safe; called by
 * transport sender threads (encode) and gRPC server threads (decode).
 *
 * <p>The tags and the field order are persisted on the wire between members of possibly different
 * builds: append new types with new tags and bump {@link #VERSION} for any layout change.
 */
public final class MessageCodec {
  /** The layout version written first; a decoder refuses any other. */
  public static final int VERSION = 1;

  private static final int APPEND = 1;
  private static final int APPEND_RESPONSE = 2;
  private static final int HEARTBEAT = 3;
  private static final int HEARTBEAT_RESPONSE = 4;
  private static final int VOTE = 5;
  private static final int VOTE_RESPONSE = 6;
  private static final int SNAPSHOT = 7;
  private static final int TIMEOUT_NOW = 8;
  private static final int PROPOSE = 9;
  private static final int READ_INDEX = 10;
  private static final int READ_INDEX_RESPONSE = 11;
  private static final int TRANSFER_LEADER = 12;

  private MessageCodec() {}

  public static byte[] encode(Message message) {
    return ExactWriter.encode(w -> write(w, message));
  }

  private static void write(ExactWriter w, Message message) {
    w.writeByte(VERSION);
    w.writeByte(tagOf(message));
    w.writeVarint(message.from());
    w.writeVarint(message.to());
    w.writeVarint(message.term());
    writeFields(w, message);
  }

  /**
   * Decodes one message.
   *
   * @throws MalformedMessageException if the bytes are truncated, carry trailing bytes, an unknown
   *     version or an unknown type tag
   */
  public static Message decode(byte[] bytes) {
    ExactReader r =
        new ExactReader(bytes, m -> new MalformedMessageException("bad peer message: " + m));
    int version = r.readByte();
    if (version != VERSION) {
      throw new MalformedMessageException(
          "peer message version " + version + " is not supported (expected " + VERSION + ")");
    }
    int tag = r.readByte();
    long from = r.readVarint();
    long to = r.readVarint();
    long term = r.readVarint();
    Message m =
        switch (tag) {
          case APPEND ->
              new Message.AppendEntries(
                  from, to, term, r.readVarint(), r.readVarint(), readEntries(r), r.readVarint());
          case APPEND_RESPONSE ->
              new Message.AppendResponse(
                  from, to, term, r.readVarint(), r.readBoolean(), r.readVarint(), r.readVarint());
          case HEARTBEAT ->
              new Message.Heartbeat(from, to, term, r.readVarint(), r.readNullableBytes());
          case HEARTBEAT_RESPONSE ->
              new Message.HeartbeatResponse(from, to, term, r.readNullableBytes());
          case VOTE ->
              new Message.VoteRequest(
                  from, to, term, r.readVarint(), r.readVarint(), r.readBoolean(), r.readBoolean());
          case VOTE_RESPONSE ->
              new Message.VoteResponse(from, to, term, r.readBoolean(), r.readBoolean());
          case SNAPSHOT -> new Message.InstallSnapshot(from, to, term, readSnapshot(r));
          case TIMEOUT_NOW -> new Message.TimeoutNow(from, to, term);
          case PROPOSE -> new Message.Propose(from, to, term, readEntries(r));
          case READ_INDEX -> new Message.ReadIndexRequest(from, to, term, r.readNullableBytes());
          case READ_INDEX_RESPONSE ->
              new Message.ReadIndexResponse(from, to, term, r.readVarint(), r.readNullableBytes());
          case TRANSFER_LEADER -> new Message.TransferLeader(from, to, term, r.readVarint());
          default -> throw new MalformedMessageException("unknown peer message type " + tag);
        };
    r.expectEnd();
    return m;
  }

  private static int tagOf(Message message) {
    if (message instanceof Message.AppendEntries) {
      return APPEND;
    } else if (message instanceof Message.AppendResponse) {
      return APPEND_RESPONSE;
    } else if (message instanceof Message.Heartbeat) {
      return HEARTBEAT;
    } else if (message instanceof Message.HeartbeatResponse) {
      return HEARTBEAT_RESPONSE;
    } else if (message instanceof Message.VoteRequest) {
      return VOTE;
    } else if (message instanceof Message.VoteResponse) {
      return VOTE_RESPONSE;
    } else if (message instanceof Message.InstallSnapshot) {
      return SNAPSHOT;
    } else if (message instanceof Message.TimeoutNow) {
      return TIMEOUT_NOW;
    } else if (message instanceof Message.Propose) {
      return PROPOSE;
    } else if (message instanceof Message.ReadIndexRequest) {
      return READ_INDEX;
    } else if (message instanceof Message.ReadIndexResponse) {
      return READ_INDEX_RESPONSE;
    } else if (message instanceof Message.TransferLeader) {
      return TRANSFER_LEADER;
    }
    throw new IllegalArgumentException("no wire tag for " + message.getClass());
  }

  private static void writeFields(ExactWriter w, Message message) {
    if (message instanceof Message.AppendEntries m) {
      w.writeVarint(m.logTerm());
      w.writeVarint(m.index());
      writeEntries(w, m.entries());
      w.writeVarint(m.commit());
    } else if (message instanceof Message.AppendResponse m) {
      w.writeVarint(m.index());
      w.writeBoolean(m.reject());
      w.writeVarint(m.rejectHint());
      w.writeVarint(m.logTerm());
    } else if (message instanceof Message.Heartbeat m) {
      w.writeVarint(m.commit());
      w.writeNullableBytes(m.context());
    } else if (message instanceof Message.HeartbeatResponse m) {
      w.writeNullableBytes(m.context());
    } else if (message instanceof Message.VoteRequest m) {
      w.writeVarint(m.lastLogTerm());
      w.writeVarint(m.lastLogIndex());
      w.writeBoolean(m.preVote());
      w.writeBoolean(m.transfer());
    } else if (message instanceof Message.VoteResponse m) {
      w.writeBoolean(m.reject());
      w.writeBoolean(m.preVote());
    } else if (message instanceof Message.InstallSnapshot m) {
      writeSnapshot(w, m.snapshot());
    } else if (message instanceof Message.Propose m) {
      writeEntries(w, m.entries());
    } else if (message instanceof Message.ReadIndexRequest m) {
      w.writeNullableBytes(m.context());
    } else if (message instanceof Message.ReadIndexResponse m) {
      w.writeVarint(m.index());
      w.writeNullableBytes(m.context());
    } else if (message instanceof Message.TransferLeader m) {
      w.writeVarint(m.transferee());
    }
    // TimeoutNow has no fields beyond the header.
  }

  private static void writeEntries(ExactWriter w, List<Entry> entries) {
    w.writeVarint(entries.size());
    for (int i = 0; i < entries.size(); i++) { // indexed: no iterator per pass over a hot path
      Entry e = entries.get(i);
      w.writeVarint(e.term());
      w.writeVarint(e.index());
      w.writeVarint(e.type().ordinal());
      w.writeBytes(e.data());
    }
  }

  private static List<Entry> readEntries(ExactReader r) {
    int n = r.readCount();
    List<Entry> entries = new ArrayList<>(Math.min(n, 1024));
    EntryType[] types = EntryType.values();
    for (int i = 0; i < n; i++) {
      long term = r.readVarint();
      long index = r.readVarint();
      long type = r.readVarint();
      if (type < 0 || type >= types.length) {
        throw new MalformedMessageException("unknown entry type " + type + " at entry " + i);
      }
      entries.add(new Entry(term, index, types[(int) type], r.readBytes()));
    }
    return entries;
  }

  private static void writeSnapshot(ExactWriter w, Snapshot s) {
    SnapshotMetadata md = s.metadata();
    w.writeVarint(md.index());
    w.writeVarint(md.term());
    writeIds(w, md.confState().voters());
    writeIds(w, md.confState().learners());
    w.writeBytes(s.data());
  }

  private static Snapshot readSnapshot(ExactReader r) {
    long index = r.readVarint();
    long term = r.readVarint();
    SortedSet<Long> voters = readIds(r);
    SortedSet<Long> learners = readIds(r);
    ConfState cs;
    try {
      cs = new ConfState(voters, learners);
    } catch (IllegalArgumentException e) {
      throw new MalformedMessageException("snapshot membership: " + e.getMessage());
    }
    return new Snapshot(new SnapshotMetadata(index, term, cs), r.readBytes());
  }

  private static void writeIds(ExactWriter w, SortedSet<Long> ids) {
    w.writeVarint(ids.size());
    for (long id : ids) {
      w.writeVarint(id);
    }
  }

  private static SortedSet<Long> readIds(ExactReader r) {
    int n = r.readCount();
    SortedSet<Long> ids = new TreeSet<>();
    for (int i = 0; i < n; i++) {
      ids.add(r.readVarint());
    }
    return ids;
  }
}
