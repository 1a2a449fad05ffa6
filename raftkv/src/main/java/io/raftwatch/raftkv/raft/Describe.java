package io.raftwatch.raftkv.raft;

import io.raftwatch.raftkv.raft.Message.AppendEntries;
import io.raftwatch.raftkv.raft.Message.AppendResponse;
import io.raftwatch.raftkv.raft.Message.Heartbeat;
import io.raftwatch.raftkv.raft.Message.HeartbeatResponse;
import io.raftwatch.raftkv.raft.Message.InstallSnapshot;
import io.raftwatch.raftkv.raft.Message.Propose;
import io.raftwatch.raftkv.raft.Message.ReadIndexRequest;
import io.raftwatch.raftkv.raft.Message.ReadIndexResponse;
import io.raftwatch.raftkv.raft.Message.TimeoutNow;
import io.raftwatch.raftkv.raft.Message.TransferLeader;
import io.raftwatch.raftkv.raft.Message.VoteRequest;
import io.raftwatch.raftkv.raft.Message.VoteResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Short, stable one-line renderings of Raft values, shared by logs and the scripted tests whose
 * expected output is made of them (etcd-io/raft util.go). Names follow etcd's message types
 * ({@code MsgApp}, {@code MsgVote}, ...) so that operators can match them to etcd's logs.
 */
public final class Describe {
  private Describe() {}

  /** {@code 2/5 EntryNormal "put k v"}: term/index, type, and the data as text if it is text. */
  public static String entry(Entry e) {
    String kind = e.type() == EntryType.NORMAL ? "EntryNormal" : "EntryConfChange";
    String payload;
    if (e.type() == EntryType.CONF_CHANGE) {
      payload = ConfChange.decode(e.data()).toString();
    } else {
      payload = '"' + printable(e.data()) + '"';
    }
    return e.term() + "/" + e.index() + " " + kind + " " + payload;
  }

  public static String entries(List<Entry> es) {
    return es.stream().map(Describe::entry).collect(Collectors.joining(", ", "[", "]"));
  }

  public static String confState(ConfState cs) {
    String s = "Voters:" + ids(cs.voters());
    if (!cs.learners().isEmpty()) {
      s += " Learners:" + ids(cs.learners());
    }
    return s;
  }

  private static String ids(java.util.Collection<Long> ids) {
    return ids.stream().map(String::valueOf).collect(Collectors.joining(" ", "(", ")"));
  }

  public static String snapshot(Snapshot s) {
    SnapshotMetadata md = s.metadata();
    return "Index:" + md.index() + " Term:" + md.term() + " " + confState(md.confState());
  }

  /** etcd's name for the message's type. */
  public static String kind(Message m) {
    if (m instanceof AppendEntries) {
      return "MsgApp";
    } else if (m instanceof AppendResponse) {
      return "MsgAppResp";
    } else if (m instanceof Heartbeat) {
      return "MsgHeartbeat";
    } else if (m instanceof HeartbeatResponse) {
      return "MsgHeartbeatResp";
    } else if (m instanceof VoteRequest v) {
      return v.preVote() ? "MsgPreVote" : "MsgVote";
    } else if (m instanceof VoteResponse v) {
      return v.preVote() ? "MsgPreVoteResp" : "MsgVoteResp";
    } else if (m instanceof InstallSnapshot) {
      return "MsgSnap";
    } else if (m instanceof TimeoutNow) {
      return "MsgTimeoutNow";
    } else if (m instanceof Propose) {
      return "MsgProp";
    } else if (m instanceof ReadIndexRequest) {
      return "MsgReadIndex";
    } else if (m instanceof ReadIndexResponse) {
      return "MsgReadIndexResp";
    } else if (m instanceof TransferLeader) {
      return "MsgTransferLeader";
    }
    throw new IllegalArgumentException("unknown message " + m.getClass());
  }

  /** {@code 1->2 MsgApp Term:1 Log:1/3 Commit:3 Entries:[1/4 EntryNormal "a"]}. */
  public static String message(Message m) {
    StringBuilder b = new StringBuilder();
    b.append(m.from()).append("->").append(m.to()).append(' ').append(kind(m));
    b.append(" Term:").append(m.term());
    if (m instanceof AppendEntries a) {
      b.append(" Log:").append(a.logTerm()).append('/').append(a.index());
      b.append(" Commit:").append(a.commit());
      if (!a.entries().isEmpty()) {
        b.append(" Entries:").append(entries(a.entries()));
      }
    } else if (m instanceof AppendResponse r) {
      b.append(" Log:").append(r.logTerm()).append('/').append(r.index());
      if (r.reject()) {
        b.append(" Rejected (Hint: ").append(r.rejectHint()).append(')');
      }
    } else if (m instanceof Heartbeat h) {
      b.append(" Commit:").append(h.commit());
      context(b, h.context());
    } else if (m instanceof HeartbeatResponse h) {
      context(b, h.context());
    } else if (m instanceof VoteRequest v) {
      b.append(" Log:").append(v.lastLogTerm()).append('/').append(v.lastLogIndex());
      if (v.transfer()) {
        b.append(" Transfer");
      }
    } else if (m instanceof VoteResponse v) {
      if (v.reject()) {
        b.append(" Rejected");
      }
    } else if (m instanceof InstallSnapshot s) {
      b.append(" Snapshot: ").append(snapshot(s.snapshot()));
    } else if (m instanceof Propose p) {
      b.append(" Entries:").append(entries(p.entries()));
    } else if (m instanceof ReadIndexRequest r) {
      context(b, r.context());
    } else if (m instanceof ReadIndexResponse r) {
      b.append(" Index:").append(r.index());
      context(b, r.context());
    } else if (m instanceof TransferLeader t) {
      b.append(" Transferee:").append(t.transferee());
    }
    return b.toString();
  }

  private static void context(StringBuilder b, byte[] ctx) {
    if (ctx.length > 0) {
      b.append(" Context:\"").append(printable(ctx)).append('"');
    }
  }

  public static String role(Role r) {
    return switch (r) {
      case FOLLOWER -> "StateFollower";
      case PRE_CANDIDATE -> "StatePreCandidate";
      case CANDIDATE -> "StateCandidate";
      case LEADER -> "StateLeader";
    };
  }

  /** A multi-line rendering of everything a Ready asks for; empty parts are left out. */
  public static String ready(Ready rd) {
    StringBuilder b = new StringBuilder();
    b.append("Ready MustSync=").append(rd.mustSync()).append(":\n");
    if (rd.softState() != null) {
      b.append("Lead:").append(rd.softState().lead()).append(" State:")
          .append(role(rd.softState().role())).append('\n');
    }
    if (rd.hardState() != null) {
      HardState hs = rd.hardState();
      b.append("HardState Term:").append(hs.term()).append(" Vote:").append(hs.vote())
          .append(" Commit:").append(hs.commit()).append('\n');
    }
    if (!rd.snapshot().isEmpty()) {
      b.append("Snapshot ").append(snapshot(rd.snapshot())).append('\n');
    }
    section(b, "Entries:", rd.entries().stream().map(Describe::entry).toList());
    section(b, "CommittedEntries:", rd.committedEntries().stream().map(Describe::entry).toList());
    section(b, "Messages:", rd.messages().stream().map(Describe::message).toList());
    section(b, "ReadStates:", rd.readStates().stream()
        .map(r -> "Index:" + r.index() + " Context:\"" + printable(r.context()) + '"').toList());
    return b.toString();
  }

  private static void section(StringBuilder b, String title, List<String> lines) {
    if (!lines.isEmpty()) {
      b.append(title).append('\n');
      lines.forEach(l -> b.append(l).append('\n'));
    }
  }

  static String printable(byte[] data) {
    String s = new String(data, StandardCharsets.UTF_8);
    StringBuilder out = new StringBuilder(s.length());
    for (char c : s.toCharArray()) {
      if (c >= 0x20 && c < 0x7f && c != '"' && c != '\\') {
        out.append(c);
      } else {
        out.append(String.format("\\x%02x", (int) c & 0xff));
      }
    }
    return out.toString();
  }
}
