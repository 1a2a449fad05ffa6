package io.raftwatch.raftkv.raft;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.random.RandomGenerator;

/**
 * One Raft node as a pure state machine (etcd-io/raft rawnode.go): feed it ticks, messages from
 * peers and local requests; collect what to persist, send and apply with {@link #ready()}; confirm
 * with {@link #advance(Ready)}. It never touches threads, clocks, files or sockets, so every
 * behaviour is reproducible from its inputs and the seed of its {@link RandomGenerator}.
 *
 * <p>Not thread-safe: exactly one thread (raftkv's raft loop, or a test) calls it. No method
 * blocks; none throws for expected outcomes — a dropped proposal is a {@code false} return.
 */
public final class RaftNode {
  /** The id meaning "no node": no leader, no vote. */
  public static final long NONE = 0;

  private final Raft raft;
  private final long maxCommittedSizePerReady;
  private SoftState prevSoftState;
  private HardState prevHardState;

  /**
   * Starts (or restarts) a node from {@code storage}. A new cluster's storage is {@link
   * MemoryStorage#bootstrap}ped with the initial members; a restarted node's storage holds what
   * it persisted.
   */
  public RaftNode(RaftConfig config, Storage storage, RandomGenerator random, RaftLogger logger) {
    this.raft = new Raft(config, storage, random, logger);
    this.maxCommittedSizePerReady = config.maxCommittedSizePerReady();
    this.prevSoftState = raft.softState();
    this.prevHardState = raft.hardState();
  }

  public long id() {
    return raft.id;
  }

  /** Advances logical time by one tick: elections and heartbeats are counted in ticks. */
  public void tick() {
    raft.tick();
  }

  /** Starts an election now (with a pre-vote first if configured). */
  public void campaign() {
    raft.hup(raft.preVoteEnabled() ? Raft.Campaign.PRE_ELECTION : Raft.Campaign.ELECTION);
  }

  /**
   * Proposes a command. Returns false if it was dropped at once (no leader known, or a leadership
   * transfer is under way); true means appended or forwarded, not committed: watch the committed
   * entries for it, since it can still be lost if leadership changes.
   */
  public boolean propose(byte[] data) {
    return propose(new Entry(0, 0, EntryType.NORMAL, data));
  }

  /** Proposes a membership change; applied when committed via {@link #applyConfChange}. */
  public boolean proposeConfChange(ConfChange cc) {
    return propose(new Entry(0, 0, EntryType.CONF_CHANGE, cc.encode()));
  }

  private boolean propose(Entry e) {
    return switch (raft.role) {
      case LEADER -> raft.appendProposal(List.of(e));
      case FOLLOWER -> {
        if (raft.lead == NONE) {
          yield false;
        }
        raft.step(new Message.Propose(raft.id, raft.lead, 0, List.of(e)));
        yield true;
      }
      case CANDIDATE, PRE_CANDIDATE -> false;
    };
  }

  /** Delivers a message from a peer. Messages from unknown senders are processed normally. */
  public void step(Message m) {
    if (m.to() != raft.id) {
      throw new IllegalArgumentException("message for " + m.to() + " stepped into " + raft.id);
    }
    raft.step(m);
  }

  /**
   * Asks for a linearizable read point. The answer arrives as a {@link ReadState} with the same
   * {@code context} in a later Ready; serve the read once that index is applied.
   */
  public void readIndex(byte[] context) {
    raft.step(new Message.ReadIndexRequest(raft.id, raft.id, 0, context));
  }

  /** Asks the leader to hand leadership to {@code transferee} (thesis §3.10). */
  public void transferLeadership(long transferee) {
    if (raft.role == Role.LEADER) {
      raft.transferLeadership(transferee);
    } else {
      raft.step(new Message.TransferLeader(raft.id, raft.id, 0, transferee));
    }
  }

  /** Applies a committed membership change and returns the membership that results. */
  public ConfState applyConfChange(ConfChange cc) {
    return raft.applyConfChange(cc);
  }

  /** The transport could not reach {@code id}: stop streaming to it and probe instead. */
  public void reportUnreachable(long id) {
    raft.reportUnreachable(id);
  }

  /** The snapshot sent to {@code id} was delivered ({@code ok}) or failed. */
  public void reportSnapshot(long id, boolean ok) {
    raft.reportSnapshot(id, ok);
  }

  public boolean hasReady() {
    if (!raft.softState().equals(prevSoftState)) {
      return true;
    }
    HardState hs = raft.hardState();
    if (!hs.isEmpty() && !hs.equals(prevHardState)) {
      return true;
    }
    return raft.log.unstable.snapshot() != null
        || !raft.log.unstable.entries().isEmpty()
        || !raft.msgs.isEmpty()
        || !raft.readStates.isEmpty()
        || raft.log.hasNextCommittedEntries();
  }

  /** What to do next; see {@link Ready} for the order. Call {@link #advance} before the next. */
  public Ready ready() {
    SoftState ss = raft.softState();
    HardState hs = raft.hardState();
    List<Entry> entries = raft.log.unstableEntries();
    boolean hardChanged = !hs.equals(prevHardState);
    Snapshot snap = raft.log.unstable.snapshot();
    Ready rd =
        new Ready(
            ss.equals(prevSoftState) ? null : ss,
            hardChanged ? hs : null,
            raft.readStates,
            entries,
            snap == null ? Snapshot.EMPTY : snap,
            raft.log.nextCommittedEntries(maxCommittedSizePerReady),
            raft.msgs,
            !entries.isEmpty() || hs.term() != prevHardState.term() || hs.vote() != prevHardState.vote());
    raft.msgs.clear();
    raft.readStates.clear();
    prevSoftState = ss;
    return rd;
  }

  /** Confirms that {@code rd} was persisted, sent and applied. */
  public void advance(Ready rd) {
    if (rd.hardState() != null) {
      prevHardState = rd.hardState();
    }
    if (!rd.committedEntries().isEmpty()) {
      raft.log.appliedTo(rd.committedEntries().get(rd.committedEntries().size() - 1).index());
    }
    if (!rd.entries().isEmpty()) {
      Entry last = rd.entries().get(rd.entries().size() - 1);
      raft.log.stableTo(last.index(), last.term());
    }
    if (!rd.snapshot().isEmpty()) {
      raft.log.stableSnapTo(rd.snapshot().metadata().index());
    }
  }

  public Status status() {
    Map<Long, Status.PeerProgress> progress = new LinkedHashMap<>();
    if (raft.role == Role.LEADER) {
      raft.tracker.forEach((id, pr) -> progress.put(id,
          new Status.PeerProgress(pr.match, pr.next, pr.state.name(), pr.isLearner)));
    }
    return new Status(raft.id, raft.hardState(), raft.softState(), raft.log.applied,
        raft.log.lastIndex(), raft.tracker.confState(), progress, raft.leadTransferee);
  }

  /** One line per member of the leader's progress view, for scripted tests and debugging. */
  public String describeProgress() {
    StringBuilder b = new StringBuilder();
    raft.tracker.forEach((id, pr) -> b.append(id).append(": ").append(pr).append('\n'));
    return b.toString();
  }

  /** The whole log as this node sees it, stable and unstable, one entry per line. */
  public List<Entry> logEntries() {
    return raft.log.allEntries();
  }
}
