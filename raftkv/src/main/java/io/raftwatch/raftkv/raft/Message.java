package io.raftwatch.raftkv.raft;

import java.util.List;

/**
 * A message between Raft nodes. The core never sends anything itself: it puts messages into
 * {@link Ready#messages()} and the driver delivers them, in any order, possibly twice or never.
 * Every handler tolerates that (§5.1: "servers retry RPCs if they do not receive a response").
 *
 * <p>Messages with {@code term() == 0} are forwarded local requests (proposals, read-index and
 * leadership-transfer requests): they carry no term because the sender is only passing them on to
 * the leader it knows of, as etcd-io/raft does.
 */
public sealed interface Message {

  /** Sender's node id. */
  long from();

  /** Recipient's node id. */
  long to();

  /** Sender's term, or 0 for a forwarded local request. */
  long term();

  /** Leader → follower: replicate {@code entries} after ({@code index}, {@code logTerm}) (§5.3). */
  record AppendEntries(
      long from, long to, long term, long logTerm, long index, List<Entry> entries, long commit)
      implements Message {
    public AppendEntries {
      entries = List.copyOf(entries);
    }
  }

  /**
   * Follower → leader: the outcome of an AppendEntries or InstallSnapshot. On success {@code index}
   * is the last index now known to match; on rejection {@code index} is the rejected prevIndex and
   * ({@code rejectHint}, {@code logTerm}) is the follower's guess of the last index that may match,
   * which lets the leader skip a whole term of entries at a time (§5.3, "optimization").
   */
  record AppendResponse(
      long from, long to, long term, long index, boolean reject, long rejectHint, long logTerm)
      implements Message {}

  /** Leader → follower: I am still leader; commit up to {@code commit}. */
  record Heartbeat(long from, long to, long term, long commit, byte[] context) implements Message {}

  /** Follower → leader: heartbeat received; echoes the read-index {@code context}. */
  record HeartbeatResponse(long from, long to, long term, byte[] context) implements Message {}

  /**
   * Candidate → voter: RequestVote (§5.2), or the pre-vote probe of thesis §9.6 when {@code
   * preVote}; a pre-vote carries the term the candidate would use but changes no one's term.
   * {@code transfer} marks an election started by leadership transfer, which voters grant even
   * while they believe in a live leader (thesis §3.10).
   */
  record VoteRequest(
      long from,
      long to,
      long term,
      long lastLogTerm,
      long lastLogIndex,
      boolean preVote,
      boolean transfer)
      implements Message {}

  /** Voter → candidate: the vote or pre-vote, granted unless {@code reject}. */
  record VoteResponse(long from, long to, long term, boolean reject, boolean preVote)
      implements Message {}

  /** Leader → follower that lags behind the compacted log: take this snapshot (§7). */
  record InstallSnapshot(long from, long to, long term, Snapshot snapshot) implements Message {}

  /** Leader → transferee: start an election now, without waiting for a timeout (thesis §3.10). */
  record TimeoutNow(long from, long to, long term) implements Message {}

  /** Follower → leader: proposals forwarded by a follower that is not the leader. */
  record Propose(long from, long to, long term, List<Entry> entries) implements Message {
    public Propose {
      entries = List.copyOf(entries);
    }
  }

  /** Follower → leader: a forwarded read-index request (thesis §6.4). */
  record ReadIndexRequest(long from, long to, long term, byte[] context) implements Message {}

  /** Leader → follower: the read index for the follower's request {@code context}. */
  record ReadIndexResponse(long from, long to, long term, long index, byte[] context)
      implements Message {}

  /** Follower → leader: a forwarded request to hand leadership to {@code transferee}. */
  record TransferLeader(long from, long to, long term, long transferee) implements Message {}
}
