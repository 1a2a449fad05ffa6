package io.raftwatch.raftkv.raft;

import static io.raftwatch.raftkv.raft.RaftNode.NONE;

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
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.random.RandomGenerator;

/**
 * The Raft protocol of one node: roles, elections, replication, commitment, read index,
 * leadership transfer and membership. Pure and single-threaded; {@link RaftNode} wraps it with the
 * Ready/advance handshake. Grouped by role as etcd-io/raft raft.go is: message dispatch, then
 * each role's handler, then the leader's send paths, then transitions.
 */
final class Raft {
  enum Campaign {
    PRE_ELECTION,
    ELECTION,
    TRANSFER
  }

  final long id;
  long term;
  long vote;
  long lead;
  Role role = Role.FOLLOWER;
  final RaftLog log;
  final ProgressTracker tracker;

  /** Outbox, drained into each Ready. */
  final List<Message> msgs = new ArrayList<>();

  final List<ReadState> readStates = new ArrayList<>();
  private final ReadOnly readOnly = new ReadOnly();
  // Read requests that arrived before this leader committed an entry of its term (thesis §6.4).
  private final List<ReadIndexRequest> pendingReadIndex = new ArrayList<>();

  long leadTransferee = NONE;
  // A conf change may be proposed only once the previous one (at this index) is applied.
  long pendingConfIndex;

  // In ticks.
  private int electionElapsed;
  private int heartbeatElapsed;
  private int randomizedElectionTimeout;
  private final int electionTimeout;
  private final int heartbeatTimeout;
  private final boolean checkQuorum;
  private final boolean preVote;
  private final long maxMsgSize;
  private final RandomGenerator random;
  private final RaftLogger logger;

  Raft(RaftConfig c, Storage storage, RandomGenerator random, RaftLogger logger) {
    this.id = c.id();
    this.electionTimeout = c.electionTick();
    this.heartbeatTimeout = c.heartbeatTick();
    this.checkQuorum = c.checkQuorum();
    this.preVote = c.preVote();
    this.maxMsgSize = c.maxSizePerMsg();
    this.random = random;
    this.logger = logger;
    this.log = new RaftLog(storage, logger);
    this.tracker = new ProgressTracker(c.maxInflightMsgs());
    Storage.InitialState init = storage.initialState();
    tracker.reset(init.confState(), log.lastIndex());
    HardState hs = init.hardState();
    if (!hs.isEmpty()) {
      if (hs.commit() < log.committed || hs.commit() > log.lastIndex()) {
        throw new IllegalStateException(
            "hard state commit " + hs.commit() + " is out of range ["
                + log.committed + ", " + log.lastIndex() + "]");
      }
      log.committed = hs.commit();
      term = hs.term();
      vote = hs.vote();
    }
    if (c.applied() > 0) {
      log.appliedTo(c.applied());
    }
    becomeFollower(term, NONE);
    logger.info(
        "newRaft " + id + " [peers: " + init.confState().voters() + ", term: " + term
            + ", commit: " + log.committed + ", applied: " + log.applied + ", lastindex: "
            + log.lastIndex() + ", lastterm: " + log.lastTerm() + "]");
  }

  HardState hardState() {
    return new HardState(term, vote, log.committed);
  }

  SoftState softState() {
    return new SoftState(lead, role);
  }

  // ---------------------------------------------------------------------------------------------
  // Ticks

  void tick() {
    if (role == Role.LEADER) {
      tickHeartbeat();
    } else {
      tickElection();
    }
  }

  private void tickElection() {
    electionElapsed++;
    if (promotable() && electionElapsed >= randomizedElectionTimeout) {
      electionElapsed = 0;
      hup(preVote ? Campaign.PRE_ELECTION : Campaign.ELECTION);
    }
  }

  private void tickHeartbeat() {
    heartbeatElapsed++;
    electionElapsed++;
    if (electionElapsed >= electionTimeout) {
      electionElapsed = 0;
      if (checkQuorum) {
        if (!tracker.quorumActive(id)) {
          logger.warn(id + " stepped down to follower since quorum is not active");
          becomeFollower(term, NONE);
          return;
        }
        tracker.forEach((pid, pr) -> pr.recentActive = pid == id);
      }
      // §3.10: a transfer that did not finish within an election timeout is abandoned.
      abortLeaderTransfer();
    }
    if (heartbeatElapsed >= heartbeatTimeout) {
      heartbeatElapsed = 0;
      bcastHeartbeat(readOnly.lastPendingContext());
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Message dispatch

  void step(Message m) {
    if (m.term() == 0) {
      // A forwarded local request: no term to compare.
    } else if (m.term() > term) {
      if (m instanceof VoteRequest v && !v.transfer() && inLease()) {
        // §6: a node that hears from a leader ignores vote requests, so a removed or
        // partitioned node cannot disrupt a healthy cluster.
        logger.info(
            id + " [logterm: " + log.lastTerm() + ", index: " + log.lastIndex() + ", vote: "
                + vote + "] ignored " + kind(m) + " from " + m.from() + " [logterm: "
                + v.lastLogTerm() + ", index: " + v.lastLogIndex() + "] at term " + term
                + ": lease is not expired (remaining ticks: "
                + (electionTimeout - electionElapsed) + ")");
        return;
      }
      if (m instanceof VoteRequest v && v.preVote()) {
        // Thesis §9.6: a pre-vote never changes the recipient's term.
      } else if (m instanceof VoteResponse r && r.preVote() && !r.reject()) {
        // The term in a granted pre-vote is the one we would campaign at; we raise it only
        // after winning the pre-election.
      } else {
        logger.info(
            id + " [term: " + term + "] received a " + kind(m) + " message with higher term from "
                + m.from() + " [term: " + m.term() + "]");
        boolean fromLeader =
            m instanceof AppendEntries || m instanceof Heartbeat || m instanceof InstallSnapshot;
        becomeFollower(m.term(), fromLeader ? m.from() : NONE);
      }
    } else if (m.term() < term) {
      if ((checkQuorum || preVote) && (m instanceof Heartbeat || m instanceof AppendEntries)) {
        // A stale leader (§5.1) learns the new term from this and steps down; without it, a
        // node that rejoined with a higher term under pre-vote could never be heard again.
        send(new AppendResponse(id, m.from(), term, 0, false, 0, 0));
      } else if (m instanceof VoteRequest v && v.preVote()) {
        logger.info(
            id + " [logterm: " + log.lastTerm() + ", index: " + log.lastIndex() + ", vote: "
                + vote + "] rejected " + kind(m) + " from " + m.from() + " [logterm: "
                + v.lastLogTerm() + ", index: " + v.lastLogIndex() + "] at term " + term);
        send(new VoteResponse(id, m.from(), term, true, true));
      } else {
        logger.info(
            id + " [term: " + term + "] ignored a " + kind(m) + " message with lower term from "
                + m.from() + " [term: " + m.term() + "]");
      }
      return;
    }

    if (m instanceof VoteRequest v) {
      handleVoteRequest(v);
      return;
    }
    switch (role) {
      case LEADER -> stepLeader(m);
      case CANDIDATE, PRE_CANDIDATE -> stepCandidate(m);
      case FOLLOWER -> stepFollower(m);
    }
  }

  private boolean inLease() {
    return checkQuorum && lead != NONE && electionElapsed < electionTimeout;
  }

  private void handleVoteRequest(VoteRequest v) {
    // §5.2: one vote per term, first come first served; §5.4.1: only for an up-to-date log.
    boolean canVote =
        vote == v.from()
            || (vote == NONE && lead == NONE)
            || (v.preVote() && v.term() > term);
    if (canVote && log.isUpToDate(v.lastLogIndex(), v.lastLogTerm())) {
      logger.info(
          id + " [logterm: " + log.lastTerm() + ", index: " + log.lastIndex() + ", vote: " + vote
              + "] cast " + kind(v) + " for " + v.from() + " [logterm: " + v.lastLogTerm()
              + ", index: " + v.lastLogIndex() + "] at term " + term);
      // A granted vote carries the candidate's term so the candidate recognises it; for a
      // pre-vote that term is one this node has not adopted.
      send(new VoteResponse(id, v.from(), v.term(), false, v.preVote()));
      if (!v.preVote()) {
        electionElapsed = 0;
        vote = v.from();
      }
    } else {
      logger.info(
          id + " [logterm: " + log.lastTerm() + ", index: " + log.lastIndex() + ", vote: " + vote
              + "] rejected " + kind(v) + " from " + v.from() + " [logterm: " + v.lastLogTerm()
              + ", index: " + v.lastLogIndex() + "] at term " + term);
      send(new VoteResponse(id, v.from(), term, true, v.preVote()));
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Leader

  private void stepLeader(Message m) {
    if (m instanceof Propose p) {
      appendProposal(p.entries());
      return;
    }
    if (m instanceof ReadIndexRequest r) {
      handleReadIndex(r);
      return;
    }
    if (m instanceof TransferLeader t) {
      transferLeadership(t.transferee());
      return;
    }
    Progress pr = tracker.get(m.from());
    if (pr == null) {
      return; // a response from a node that is no longer a member
    }
    if (m instanceof AppendResponse r) {
      handleAppendResponse(r, pr);
    } else if (m instanceof HeartbeatResponse r) {
      handleHeartbeatResponse(r, pr);
    }
  }

  /** Appends proposals on the leader; returns false if they were dropped. */
  boolean appendProposal(List<Entry> entries) {
    if (tracker.get(id) == null) {
      logger.info(id + " dropped proposal: not a member of the cluster");
      return false;
    }
    if (leadTransferee != NONE) {
      logger.info(id + " [term " + term + "] transfer leadership to " + leadTransferee
          + " is in progress; dropping proposal");
      return false;
    }
    List<Entry> stamped = new ArrayList<>(entries.size());
    for (int i = 0; i < entries.size(); i++) {
      Entry e = entries.get(i);
      if (e.type() == EntryType.CONF_CHANGE) {
        if (pendingConfIndex > log.applied) {
          // Single-server changes are safe only one at a time (thesis §4.1).
          logger.info(id + " ignoring conf change " + ConfChange.decode(e.data())
              + " at index " + (log.lastIndex() + i + 1) + " since pending one at "
              + pendingConfIndex + " is unapplied (applied " + log.applied + ")");
          e = new Entry(0, 0, EntryType.NORMAL, new byte[0]);
        } else {
          pendingConfIndex = log.lastIndex() + i + 1;
        }
      }
      stamped.add(e);
    }
    appendEntries(stamped);
    bcastAppend();
    return true;
  }

  private void handleAppendResponse(AppendResponse m, Progress pr) {
    pr.recentActive = true;
    if (m.reject()) {
      long nextProbe = m.rejectHint();
      if (m.logTerm() > 0) {
        // Skip every entry of ours whose term is above the follower's term at its hint.
        nextProbe = log.findConflictByTerm(m.rejectHint(), m.logTerm())[0];
      }
      if (pr.maybeDecrTo(m.index(), nextProbe)) {
        if (pr.state == Progress.State.REPLICATE) {
          pr.becomeProbe();
        }
        sendAppend(m.from());
      }
      return;
    }
    boolean oldPaused = pr.isPaused();
    if (pr.maybeUpdate(m.index()) || (pr.match == m.index() && pr.state == Progress.State.PROBE)) {
      switch (pr.state) {
        case PROBE -> pr.becomeReplicate();
        case SNAPSHOT -> {
          if (pr.match >= pr.pendingSnapshot) {
            pr.becomeProbe();
            pr.becomeReplicate();
          }
        }
        case REPLICATE -> pr.inflights.freeLE(m.index());
      }
      if (maybeCommit()) {
        releasePendingReadIndex();
        bcastAppend();
      } else if (oldPaused) {
        sendAppend(m.from());
      }
      while (maybeSendAppend(m.from(), false)) {
        // Fill the window of in-flight appends.
      }
      if (m.from() == leadTransferee && pr.match == log.lastIndex()) {
        logger.info(id + " sent MsgTimeoutNow to " + m.from()
            + " after received MsgAppResp");
        send(new TimeoutNow(id, m.from(), term));
      }
    }
  }

  private void handleHeartbeatResponse(HeartbeatResponse m, Progress pr) {
    pr.recentActive = true;
    pr.probeSent = false;
    if (pr.state == Progress.State.REPLICATE && pr.inflights.full()) {
      pr.inflights.freeFirstOne();
    }
    if (pr.match < log.lastIndex()) {
      sendAppend(m.from());
    }
    if (m.context().length == 0) {
      return;
    }
    Set<Long> acks = readOnly.recvAck(m.from(), m.context());
    if (!tracker.isQuorum(acks)) {
      return;
    }
    for (ReadOnly.Pending p : readOnly.advance(m.context())) {
      respondToReadIndex(p.request(), p.index());
    }
  }

  private void handleReadIndex(ReadIndexRequest m) {
    if (tracker.voterIds().length == 1) {
      respondToReadIndex(m, log.committed);
    } else if (!committedEntryInCurrentTerm()) {
      // Until then our commit index may lag the true one (thesis §6.4 step 1).
      pendingReadIndex.add(m);
    } else {
      sendReadIndex(m);
    }
  }

  private void sendReadIndex(ReadIndexRequest m) {
    readOnly.addRequest(log.committed, m);
    readOnly.recvAck(id, m.context());
    bcastHeartbeat(m.context());
  }

  private void releasePendingReadIndex() {
    if (pendingReadIndex.isEmpty() || !committedEntryInCurrentTerm()) {
      return;
    }
    for (ReadIndexRequest m : pendingReadIndex) {
      sendReadIndex(m);
    }
    pendingReadIndex.clear();
  }

  private void respondToReadIndex(ReadIndexRequest m, long index) {
    if (m.from() == id) {
      readStates.add(new ReadState(index, m.context()));
    } else {
      send(new ReadIndexResponse(id, m.from(), term, index, m.context()));
    }
  }

  private boolean committedEntryInCurrentTerm() {
    return log.term(log.committed) == term;
  }

  void transferLeadership(long transferee) {
    Progress pr = tracker.get(transferee);
    if (pr == null || pr.isLearner) {
      logger.info(id + " [term " + term + "] ignored transferring leadership to " + transferee
          + ": not a voter");
      return;
    }
    if (leadTransferee != NONE) {
      if (leadTransferee == transferee) {
        logger.info(id + " [term " + term + "] transfer leadership to " + transferee
            + " is in progress, ignores request to same node " + transferee);
        return;
      }
      abortLeaderTransfer();
    }
    if (transferee == id) {
      logger.info(id + " is already leader. Ignored transferring leadership to self");
      return;
    }
    logger.info(id + " [term " + term + "] starts to transfer leadership to " + transferee);
    electionElapsed = 0; // the transfer must finish within one election timeout
    leadTransferee = transferee;
    if (pr.match == log.lastIndex()) {
      logger.info(id + " sends MsgTimeoutNow to " + transferee
          + " immediately as " + transferee + " already has up-to-date log");
      send(new TimeoutNow(id, transferee, term));
    } else {
      sendAppend(transferee);
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Candidate and follower

  private void stepCandidate(Message m) {
    if (m instanceof Propose) {
      logger.info(id + " no leader at term " + term + "; dropping proposal");
    } else if (m instanceof AppendEntries a) {
      becomeFollower(m.term(), m.from());
      handleAppendEntries(a);
    } else if (m instanceof Heartbeat h) {
      becomeFollower(m.term(), m.from());
      handleHeartbeat(h);
    } else if (m instanceof InstallSnapshot s) {
      becomeFollower(m.term(), m.from());
      handleSnapshot(s);
    } else if (m instanceof VoteResponse r && r.preVote() == (role == Role.PRE_CANDIDATE)) {
      switch (poll(m.from(), !r.reject())) {
        case WON -> {
          if (role == Role.PRE_CANDIDATE) {
            campaign(Campaign.ELECTION);
          } else {
            becomeLeader();
            bcastAppend();
          }
        }
        case LOST -> becomeFollower(term, NONE);
        case PENDING -> { }
      }
    }
  }

  private void stepFollower(Message m) {
    if (m instanceof Propose p) {
      if (lead == NONE) {
        logger.info(id + " no leader at term " + term + "; dropping proposal");
      } else {
        send(new Propose(p.from(), lead, 0, p.entries()));
      }
    } else if (m instanceof AppendEntries a) {
      electionElapsed = 0;
      lead = m.from();
      handleAppendEntries(a);
    } else if (m instanceof Heartbeat h) {
      electionElapsed = 0;
      lead = m.from();
      handleHeartbeat(h);
    } else if (m instanceof InstallSnapshot s) {
      electionElapsed = 0;
      lead = m.from();
      handleSnapshot(s);
    } else if (m instanceof TransferLeader t) {
      if (lead == NONE) {
        logger.info(id + " no leader at term " + term + "; dropping leader transfer msg");
      } else {
        send(new TransferLeader(t.from(), lead, 0, t.transferee()));
      }
    } else if (m instanceof TimeoutNow) {
      logger.info(id + " [term " + term + "] received MsgTimeoutNow from " + m.from()
          + " and starts an election to get leadership.");
      // Thesis §3.10: no pre-vote, we know the leader wants us to win.
      hup(Campaign.TRANSFER);
    } else if (m instanceof ReadIndexRequest r) {
      if (lead == NONE) {
        logger.info(id + " no leader at term " + term + "; dropping index reading msg");
      } else {
        send(new ReadIndexRequest(r.from(), lead, 0, r.context()));
      }
    } else if (m instanceof ReadIndexResponse r) {
      readStates.add(new ReadState(r.index(), r.context()));
    }
  }

  private void handleAppendEntries(AppendEntries m) {
    if (m.index() < log.committed) {
      send(new AppendResponse(id, m.from(), term, log.committed, false, 0, 0));
      return;
    }
    long lastNew = log.maybeAppend(m.index(), m.logTerm(), m.commit(), m.entries());
    if (lastNew >= 0) {
      send(new AppendResponse(id, m.from(), term, lastNew, false, 0, 0));
      return;
    }
    long hintIndex = Math.min(m.index(), log.lastIndex());
    long[] hint = log.findConflictByTerm(hintIndex, m.logTerm());
    logger.info(id + " [logterm: " + log.term(m.index()) + ", index: " + m.index()
        + "] rejected MsgApp [logterm: " + m.logTerm() + ", index: " + m.index() + "] from "
        + m.from());
    send(new AppendResponse(id, m.from(), term, m.index(), true, hint[0], hint[1]));
  }

  private void handleHeartbeat(Heartbeat m) {
    log.commitTo(m.commit());
    send(new HeartbeatResponse(id, m.from(), term, m.context()));
  }

  private void handleSnapshot(InstallSnapshot m) {
    SnapshotMetadata md = m.snapshot().metadata();
    if (restore(m.snapshot())) {
      logger.info(id + " [commit: " + log.committed + "] restored snapshot [index: " + md.index()
          + ", term: " + md.term() + "]");
      send(new AppendResponse(id, m.from(), term, log.lastIndex(), false, 0, 0));
    } else {
      logger.info(id + " [commit: " + log.committed + "] ignored snapshot [index: " + md.index()
          + ", term: " + md.term() + "]");
      send(new AppendResponse(id, m.from(), term, log.committed, false, 0, 0));
    }
  }

  private boolean restore(Snapshot s) {
    SnapshotMetadata md = s.metadata();
    if (md.index() <= log.committed) {
      return false;
    }
    if (log.matchTerm(md.index(), md.term())) {
      // We already have the entries it covers; just move commit forward.
      logger.info(id + " [commit: " + log.committed + "] fast-forwarded commit to snapshot [index: "
          + md.index() + ", term: " + md.term() + "]");
      log.commitTo(md.index());
      return false;
    }
    // NB: a joining node may get a snapshot from before it was added; it then learns of its
    // own membership from the entries that follow, so the snapshot is accepted regardless.
    log.restore(s);
    tracker.reset(md.confState(), log.lastIndex());
    return true;
  }

  // ---------------------------------------------------------------------------------------------
  // Leader send paths

  private void bcastAppend() {
    tracker.forEach((pid, pr) -> {
      if (pid != id) {
        sendAppend(pid);
      }
    });
  }

  private void bcastHeartbeat(byte[] context) {
    tracker.forEach((pid, pr) -> {
      if (pid != id) {
        // Never tell a follower to commit beyond what it is known to have (etcd-io/raft).
        long commit = Math.min(pr.match, log.committed);
        send(new Heartbeat(id, pid, term, commit, context));
      }
    });
  }

  private void sendAppend(long to) {
    maybeSendAppend(to, true);
  }

  /** Sends the next batch of entries to {@code to}, or a snapshot; returns whether it sent. */
  private boolean maybeSendAppend(long to, boolean sendIfEmpty) {
    Progress pr = tracker.get(to);
    if (pr == null || pr.isPaused()) {
      return false;
    }
    long prevIndex = pr.next - 1;
    if (prevIndex < log.firstIndex() - 1) {
      return sendSnapshot(to, pr);
    }
    long prevTerm = log.term(prevIndex);
    List<Entry> ents = log.entries(pr.next, maxMsgSize);
    if (ents.isEmpty() && !sendIfEmpty) {
      return false;
    }
    send(new AppendEntries(id, to, term, prevTerm, prevIndex, ents, log.committed));
    pr.sentEntries(ents.isEmpty() ? prevIndex : ents.get(ents.size() - 1).index(), ents.isEmpty());
    return true;
  }

  private boolean sendSnapshot(long to, Progress pr) {
    if (!pr.recentActive) {
      // Wait until it answers: snapshots are large and it may be gone.
      return false;
    }
    Snapshot snap = log.snapshot();
    if (snap.isEmpty()) {
      throw new IllegalStateException("need a non-empty snapshot for " + to);
    }
    logger.info(id + " [firstindex: " + log.firstIndex() + ", commit: " + log.committed
        + "] sent snapshot[index: " + snap.metadata().index() + ", term: "
        + snap.metadata().term() + "] to " + to + " [" + pr + "]");
    pr.becomeSnapshot(snap.metadata().index());
    send(new InstallSnapshot(id, to, term, snap));
    return true;
  }

  private void appendEntries(List<Entry> es) {
    long li = log.lastIndex();
    List<Entry> stamped = new ArrayList<>(es.size());
    for (int i = 0; i < es.size(); i++) {
      Entry e = es.get(i);
      stamped.add(new Entry(term, li + 1 + i, e.type(), e.data()));
    }
    log.append(stamped);
    // The leader's own copy counts toward the quorum: the driver persists it before anything
    // that depends on the commit becomes visible (Ready order: persist, send, apply).
    tracker.get(id).maybeUpdate(log.lastIndex());
    maybeCommit();
  }

  private boolean maybeCommit() {
    return log.maybeCommit(tracker.committed(), term);
  }

  private void send(Message m) {
    msgs.add(m);
  }

  // ---------------------------------------------------------------------------------------------
  // Elections and transitions

  private boolean promotable() {
    Progress pr = tracker.get(id);
    return pr != null && !pr.isLearner && log.unstable.snapshot() == null;
  }

  void hup(Campaign type) {
    if (role == Role.LEADER) {
      logger.info(id + " ignoring MsgHup because already leader");
      return;
    }
    if (!promotable()) {
      logger.warn(id + " is unpromotable and can not campaign");
      return;
    }
    if (hasUnappliedConfChanges()) {
      // A configuration committed but not applied might not include us, or change the quorum.
      logger.warn(id + " cannot campaign at term " + term
          + " since there are still pending configuration changes to apply");
      return;
    }
    logger.info(id + " is starting a new election at term " + term);
    campaign(type);
  }

  private boolean hasUnappliedConfChanges() {
    if (log.applied >= log.committed) {
      return false;
    }
    for (Entry e : log.slice(Math.max(log.applied + 1, log.firstIndex()), log.committed + 1,
        Long.MAX_VALUE)) {
      if (e.type() == EntryType.CONF_CHANGE) {
        return true;
      }
    }
    return false;
  }

  private void campaign(Campaign type) {
    long voteTerm;
    boolean pre = type == Campaign.PRE_ELECTION;
    if (pre) {
      becomePreCandidate();
      voteTerm = term + 1;
    } else {
      becomeCandidate();
      voteTerm = term;
    }
    if (poll(id, true) == ProgressTracker.VoteResult.WON) {
      // A single-voter cluster wins at once.
      if (pre) {
        campaign(Campaign.ELECTION);
      } else {
        becomeLeader();
      }
      return;
    }
    for (long voter : tracker.voterIds()) {
      if (voter == id) {
        continue;
      }
      logger.info(id + " [logterm: " + log.lastTerm() + ", index: " + log.lastIndex() + "] sent "
          + (pre ? "MsgPreVote" : "MsgVote") + " request to " + voter + " at term " + term);
      send(new VoteRequest(id, voter, voteTerm, log.lastTerm(), log.lastIndex(), pre,
          type == Campaign.TRANSFER));
    }
  }

  private ProgressTracker.VoteResult poll(long from, boolean granted) {
    String kind = role == Role.PRE_CANDIDATE ? "MsgPreVoteResp" : "MsgVoteResp";
    if (from != id) {
      logger.info(id + " received " + kind + (granted ? "" : " rejection") + " from " + from
          + " at term " + term);
    }
    tracker.recordVote(from, granted);
    ProgressTracker.VoteResult result = tracker.tallyVotes();
    if (from != id) {
      int[] counts = tracker.voteCounts();
      logger.info(id + " has received " + counts[0] + " " + kind + " votes and " + counts[1]
          + " vote rejections");
    }
    return result;
  }

  void becomeFollower(long newTerm, long newLead) {
    reset(newTerm);
    lead = newLead;
    role = Role.FOLLOWER;
    logger.info(id + " became follower at term " + term);
  }

  private void becomePreCandidate() {
    if (role == Role.LEADER) {
      throw new IllegalStateException("invalid transition [leader -> pre-candidate]");
    }
    // Neither term nor vote changes: a pre-election must leave no trace if it fails.
    tracker.resetVotes();
    role = Role.PRE_CANDIDATE;
    lead = NONE;
    logger.info(id + " became pre-candidate at term " + term);
  }

  private void becomeCandidate() {
    if (role == Role.LEADER) {
      throw new IllegalStateException("invalid transition [leader -> candidate]");
    }
    reset(term + 1);
    vote = id;
    role = Role.CANDIDATE;
    logger.info(id + " became candidate at term " + term);
  }

  private void becomeLeader() {
    if (role == Role.FOLLOWER) {
      throw new IllegalStateException("invalid transition [follower -> leader]");
    }
    reset(term);
    lead = id;
    role = Role.LEADER;
    Progress self = tracker.get(id);
    self.becomeReplicate();
    self.recentActive = true;
    // Entries from earlier terms may hold a conf change we cannot see as applied yet.
    pendingConfIndex = log.lastIndex();
    logger.info(id + " became leader at term " + term);
    // §8: a no-op of the new term lets earlier entries commit (§5.4.2).
    appendEntries(List.of(new Entry(0, 0, EntryType.NORMAL, new byte[0])));
  }

  private void reset(long newTerm) {
    if (term != newTerm) {
      term = newTerm;
      vote = NONE;
    }
    lead = NONE;
    electionElapsed = 0;
    heartbeatElapsed = 0;
    randomizedElectionTimeout = electionTimeout + random.nextInt(electionTimeout);
    abortLeaderTransfer();
    tracker.resetVotes();
    tracker.resetProgress(id, log.lastIndex());
    pendingConfIndex = 0;
    readOnly.clear();
    pendingReadIndex.clear();
  }

  private void abortLeaderTransfer() {
    leadTransferee = NONE;
  }

  // ---------------------------------------------------------------------------------------------
  // Membership

  ConfState applyConfChange(ConfChange cc) {
    long n = cc.nodeId();
    Progress pr = tracker.get(n);
    switch (cc.type()) {
      case ADD_NODE -> {
        if (pr == null) {
          addProgress(n, false);
        } else if (pr.isLearner) {
          tracker.promote(n);
        }
      }
      case ADD_LEARNER_NODE -> {
        if (pr == null) {
          addProgress(n, true);
        } else if (!pr.isLearner) {
          logger.warn(id + " ignored demoting voter " + n + " to learner");
        }
      }
      case REMOVE_NODE -> {
        tracker.remove(n);
        if (n == leadTransferee) {
          abortLeaderTransfer();
        }
      }
      case UPDATE_NODE -> { }
    }
    ConfState cs = tracker.confState();
    logger.info(id + " switched to configuration " + Describe.confState(cs));
    if (role == Role.LEADER) {
      if (!tracker.isVoter(id)) {
        // A leader that is no longer a voter cannot count itself toward quorums: step down and
        // let the remaining voters elect a leader among themselves.
        becomeFollower(term, NONE);
      } else if (maybeCommit()) {
        // Removing a voter may have shrunk the quorum enough to commit more.
        bcastAppend();
      } else {
        tracker.forEach((pid, p) -> {
          if (pid != id) {
            maybeSendAppend(pid, false);
          }
        });
      }
    }
    return cs;
  }

  private void addProgress(long n, boolean learner) {
    // Probe from the last entry, so the first append to the new member carries data and is sent
    // at once instead of waiting for a heartbeat (etcd-io/raft confchange).
    tracker.add(n, Math.max(log.lastIndex(), 1), learner);
    // A new member gets a grace period: check-quorum must not count it as dead before it
    // could have answered.
    tracker.get(n).recentActive = true;
  }

  boolean preVoteEnabled() {
    return preVote;
  }

  void reportUnreachable(long to) {
    Progress pr = tracker.get(to);
    if (role == Role.LEADER && pr != null && pr.state == Progress.State.REPLICATE) {
      // Streaming optimistically to an unreachable peer only fills its window; probe instead.
      pr.becomeProbe();
    }
  }

  void reportSnapshot(long to, boolean ok) {
    Progress pr = tracker.get(to);
    if (role != Role.LEADER || pr == null || pr.state != Progress.State.SNAPSHOT) {
      return;
    }
    if (!ok) {
      pr.pendingSnapshot = 0;
    }
    logger.info(id + " snapshot " + (ok ? "succeeded" : "failed") + ", resumed sending "
        + "replication messages to " + to + " [" + pr + "]");
    // Wait for the follower's append response (or a heartbeat response) before probing again.
    pr.becomeProbe();
    pr.probeSent = true;
  }

  // ---------------------------------------------------------------------------------------------

  static String kind(Message m) {
    return Describe.kind(m);
  }
}
