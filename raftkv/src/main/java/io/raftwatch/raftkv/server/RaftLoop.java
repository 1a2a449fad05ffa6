package io.raftwatch.raftkv.server;

import io.raftwatch.raftkv.raft.ConfChange;
import io.raftwatch.raftkv.raft.ConfChangeType;
import io.raftwatch.raftkv.raft.Entry;
import io.raftwatch.raftkv.raft.EntryType;
import io.raftwatch.raftkv.raft.MemoryStorage;
import io.raftwatch.raftkv.raft.Message;
import io.raftwatch.raftkv.raft.RaftNode;
import io.raftwatch.raftkv.raft.ReadState;
import io.raftwatch.raftkv.raft.Ready;
import io.raftwatch.raftkv.raft.Role;
import io.raftwatch.raftkv.raft.Snapshot;
import io.raftwatch.raftkv.raft.SoftState;
import io.raftwatch.raftkv.raft.Status;
import io.raftwatch.raftkv.storage.Snapshotter;
import io.raftwatch.raftkv.storage.Wal;
import io.raftwatch.raftkv.transport.Transport;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The only thread that touches a member's {@link RaftNode}. Other threads hand it work through a
 * queue ({@link #tick}, {@link #deliver}, {@link #propose}); each cycle it drains the queue, then
 * works off the node's Ready in etcd-io/raft's order:
 *
 * <ol>
 *   <li>persist the snapshot, entries and hard state to the WAL (one fsync for everything that
 *       arrived since the last cycle: group commit at the loop level);
 *   <li>send the messages;
 *   <li>apply the snapshot and committed entries to the state machine, completing the proposals'
 *       futures;
 *   <li>update the {@code etcd_server_*} metrics from the soft state;
 *   <li>advance the node, and snapshot and compact every {@code snapshotCount} applied entries.
 * </ol>
 *
 * <p>As etcd's raft loop does, a leader sends its messages first (replication overlaps its own
 * fsync), and committed entries already durable here are applied before the fsync rather than
 * after it; votes and acknowledgements are still only sent once persisted.
 *
 * <p>Proposals carry an 8-byte request id before the command, so the proposer's future completes
 * with the entry's index when it is applied, on whichever member it was proposed. A proposal that
 * is dropped (no leader) or whose forward to the leader the transport dropped fails at once and
 * counts in {@code etcd_server_proposals_failed_total}; so does a read index asked without a leader.
 *
 * <p>Reads of the state machine also run on this thread: {@link #onLoop} runs a task between
 * cycles, and {@link #readIndex} completes once this member applied everything committed when the
 * read was asked (Raft's read index), so a linearizable read is {@code
 * readIndex(timeout).thenCompose(x -> onLoop(read))}.
 */
public final class RaftLoop implements Runnable {
  private static final Logger log = LoggerFactory.getLogger(RaftLoop.class);
  // etcd's SnapshotCatchUpEntries: entries kept after a snapshot so slow followers avoid one.
  private static final long CATCH_UP_ENTRIES = 5000;

  private final RaftNode node;
  private final MemoryStorage storage;
  private final Wal wal;
  private final Snapshotter snapshotter;
  private final StateMachine stateMachine;
  private final Transport transport;
  private final ServerMetrics metrics;
  private final long snapshotCount;
  private final BlockingQueue<Consumer<RaftNode>> requests = new LinkedBlockingQueue<>();
  private final Map<Long, CompletableFuture<Long>> waiting = new HashMap<>();
  // Read-index requests by context, then, once the leader answered, by the index to wait for.
  private final Map<Long, CompletableFuture<Long>> readsAsked = new HashMap<>();
  private final List<PendingRead> readsConfirmed = new ArrayList<>();
  private long nextRequestId;
  private long appliedIndex;
  private long snapshotIndex;
  private long lead = RaftNode.NONE;
  private boolean leading;
  private volatile Status status;
  private volatile boolean stopped;

  public RaftLoop(
      RaftNode node,
      Recovery.Recovered recovered,
      Wal wal,
      Snapshotter snapshotter,
      StateMachine stateMachine,
      Transport transport,
      ServerMetrics metrics,
      long snapshotCount) {
    this.node = node;
    this.storage = recovered.storage();
    this.wal = wal;
    this.snapshotter = snapshotter;
    this.stateMachine = stateMachine;
    this.transport = transport;
    this.metrics = metrics;
    this.snapshotCount = snapshotCount;
    this.appliedIndex = recovered.appliedIndex();
    this.snapshotIndex = recovered.appliedIndex();
    // Request ids must not repeat across restarts of this member: start from a random point.
    this.nextRequestId = new java.util.Random().nextLong() & Long.MAX_VALUE;
    this.status = node.status();
  }

  /** One tick of logical time; call every heartbeat interval from a scheduler. */
  public void tick() {
    requests.add(RaftNode::tick);
  }

  /** A message from a peer, from the transport's threads. */
  public void deliver(Message m) {
    requests.add(n -> n.step(m));
  }

  /** Transport feedback, from any thread. */
  public Transport.Feedback feedback() {
    return new Transport.Feedback() {
      @Override
      public void unreachable(long peer) {
        requests.add(n -> n.reportUnreachable(peer));
      }

      @Override
      public void snapshotDelivered(long peer, boolean ok) {
        requests.add(n -> n.reportSnapshot(peer, ok));
      }

      @Override
      public void dropped(Message m) {
        if (m instanceof Message.Propose p) {
          requests.add(n -> failForwarded(p));
        }
      }
    };
  }

  /**
   * Proposes {@code command}; the future completes with its log index once it is applied here, or
   * fails with {@link ProposalDroppedException} if no leader could take it.
   */
  public CompletableFuture<Long> propose(byte[] command) {
    CompletableFuture<Long> done = new CompletableFuture<>();
    requests.add(n -> {
      long id = nextRequestId++;
      byte[] data = ByteBuffer.allocate(8 + command.length).putLong(id).put(command).array();
      if (n.propose(data)) {
        waitFor(id, done);
      } else {
        metrics.proposalsFailed.inc();
        done.completeExceptionally(new ProposalDroppedException());
      }
    });
    return done;
  }

  private void waitFor(long id, CompletableFuture<Long> done) {
    waiting.put(id, done);
    metrics.proposalsPending.set(waiting.size());
    // A caller that gives up (a timeout) unregisters the proposal: it is no longer pending and
    // counts as failed, as etcd counts proposals that time out. Applied ones are gone already.
    done.whenComplete((index, failure) -> {
      if (failure != null) {
        requests.add(x -> forgetProposal(id));
      }
    });
  }

  /**
   * Runs {@code task} on the loop thread between cycles, where the state machine may be read; the
   * future completes with its result, or its exception.
   */
  public <T> CompletableFuture<T> onLoop(Supplier<T> task) {
    CompletableFuture<T> done = new CompletableFuture<>();
    requests.add(n -> {
      try {
        done.complete(task.get());
      } catch (RuntimeException e) {
        done.completeExceptionally(e);
      }
    });
    return done;
  }

  /**
   * Asks the leader for its commit index (Raft read index); the future completes with that index
   * once this member applied it, fails at once with {@link ProposalDroppedException} when no leader
   * is known, and with a {@link TimeoutException} after {@code timeout} (the answer was lost, or the
   * leader too), which counts in {@code etcd_server_slow_read_indexes_total} as in etcd.
   */
  public CompletableFuture<Long> readIndex(Duration timeout) {
    CompletableFuture<Long> done = new CompletableFuture<>();
    requests.add(n -> {
      if (lead == RaftNode.NONE) {
        done.completeExceptionally(new ProposalDroppedException());
        return;
      }
      long id = nextRequestId++;
      readsAsked.put(id, done);
      done.orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS).whenComplete((index, failure) -> {
        if (failure != null) {
          if (failure instanceof TimeoutException) {
            metrics.slowReadIndexes.inc();
          }
          requests.add(x -> readsAsked.remove(id));
        }
      });
      n.readIndex(ByteBuffer.allocate(8).putLong(id).array());
    });
    return done;
  }

  /**
   * A proposal forwarded to the leader that the transport dropped: its callers learn at once, as
   * etcd's "request timed out" (it may still be committed if the leader got it after all).
   */
  private void failForwarded(Message.Propose p) {
    for (Entry e : p.entries()) {
      if (e.data().length >= 8) {
        CompletableFuture<Long> done = waiting.remove(ByteBuffer.wrap(e.data()).getLong());
        if (done != null) {
          metrics.proposalsFailed.inc();
          done.completeExceptionally(new ForwardDroppedException());
        }
      }
    }
    metrics.proposalsPending.set(waiting.size());
  }

  private void forgetProposal(long id) {
    if (waiting.remove(id) != null) {
      metrics.proposalsFailed.inc();
      metrics.proposalsPending.set(waiting.size());
    }
  }

  /** Hands leadership to {@code transferee} if this member leads. */
  public void transferLeadership(long transferee) {
    requests.add(n -> n.transferLeadership(transferee));
  }

  /**
   * Proposes a membership change of {@code nodeId}, attaching {@code member} for the state
   * machine; the future completes with the entry's index once it is applied here, or fails with
   * {@link ProposalDroppedException} if no leader could take it. A change proposed while another is
   * pending is dropped by the leader: the caller times out, as in etcd.
   */
  public CompletableFuture<Long> proposeConfChange(ConfChangeType type, long nodeId, byte[] member) {
    CompletableFuture<Long> done = new CompletableFuture<>();
    requests.add(n -> {
      long id = nextRequestId++;
      if (n.proposeConfChange(new ConfChange(type, nodeId, context(id, member)))) {
        waitFor(id, done);
      } else {
        metrics.proposalsFailed.inc();
        done.completeExceptionally(new ProposalDroppedException());
      }
    });
    return done;
  }

  /**
   * A ConfChange's context as this loop writes it: the proposer's 8-byte request id (0 for none),
   * then what {@link StateMachine#applyConfChange} receives.
   */
  static byte[] context(long requestId, byte[] member) {
    return ByteBuffer.allocate(8 + member.length).putLong(requestId).put(member).array();
  }

  /** The node's state as of the end of the last cycle; safe from any thread. */
  public Status status() {
    return status;
  }

  public void stop() {
    stopped = true;
    requests.add(n -> { });
  }

  @Override
  public void run() {
    try {
      while (!stopped) {
        Consumer<RaftNode> first = requests.poll(100, TimeUnit.MILLISECONDS);
        if (first == null) {
          continue;
        }
        List<Consumer<RaftNode>> batch = new ArrayList<>();
        batch.add(first);
        requests.drainTo(batch);
        batch.forEach(r -> r.accept(node));
        while (node.hasReady()) {
          handle(node.ready());
        }
        status = node.status();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (IOException e) {
      // A member that cannot persist must stop: continuing could acknowledge what is not durable.
      log.error("raft loop stopped: cannot write the WAL or snapshot: {}", e.toString());
      throw new UncheckedIOException(e);
    } finally {
      waiting.values().forEach(f -> f.completeExceptionally(new ProposalDroppedException()));
      readsAsked.values().forEach(f -> f.completeExceptionally(new ProposalDroppedException()));
      readsConfirmed.forEach(r -> r.done().completeExceptionally(new ProposalDroppedException()));
    }
  }

  private void handle(Ready rd) throws IOException {
    if (rd.softState() != null) {
      leading = rd.softState().role() == Role.LEADER;
    }
    // A leader replicates while it writes its own log, as etcd does: followers persist in
    // parallel, and the leader's own entries still count only once this cycle persisted them. Sent
    // before applying too, so that followers learn the new commit index without waiting for it.
    if (leading && !rd.messages().isEmpty()) {
      transport.send(rd.messages());
    }
    // 0. Committed entries this member holds durably already are applied before the next fsync,
    // so their callers do not wait for it (etcd hands them to its apply loop before saving).
    int appliedEarly = 0;
    if (rd.snapshot().isEmpty()) {
      long durable = rd.entries().isEmpty()
          ? storage.lastIndex()
          : Math.min(storage.lastIndex(), rd.entries().get(0).index() - 1);
      for (Entry e : rd.committedEntries()) {
        if (e.index() > durable || e.type() == EntryType.CONF_CHANGE) {
          break;
        }
        apply(e);
        appliedEarly++;
      }
    }
    // 1. Persist.
    if (!rd.snapshot().isEmpty()) {
      snapshotter.save(rd.snapshot());
      wal.saveSnapshotMarker(rd.snapshot().metadata());
      storage.applySnapshot(rd.snapshot());
    }
    if (rd.hardState() != null || !rd.entries().isEmpty()) {
      wal.save(rd.hardState(), rd.entries());
    }
    storage.append(rd.entries());
    if (rd.hardState() != null) {
      storage.setHardState(rd.hardState());
    }
    // 2. Send: votes and acknowledgements only once persisted.
    if (!leading && !rd.messages().isEmpty()) {
      transport.send(rd.messages());
    }
    // 3. Apply.
    if (!rd.snapshot().isEmpty()) {
      stateMachine.restore(rd.snapshot());
      appliedIndex = rd.snapshot().metadata().index();
      snapshotIndex = appliedIndex;
      // As etcd's "applied incoming snapshot": the sign that a member caught up by snapshot.
      log.info("member {}: applied the leader's snapshot at index {}", Long.toHexString(node.id()),
          appliedIndex);
    }
    List<Entry> committed = rd.committedEntries();
    for (int i = appliedEarly; i < committed.size(); i++) {
      apply(committed.get(i));
    }
    confirmReads(rd.readStates());
    // 4. Metrics.
    if (rd.softState() != null) {
      observe(rd.softState());
    }
    if (rd.hardState() != null) {
      metrics.proposalsCommitted.set(rd.hardState().commit());
    }
    metrics.proposalsApplied.set(appliedIndex);
    metrics.proposalsPending.set(waiting.size());
    // 5. Advance.
    node.advance(rd);
    maybeSnapshot();
  }

  private void apply(Entry e) {
    if (e.type() == EntryType.CONF_CHANGE) {
      ConfChange cc = ConfChange.decode(e.data());
      node.applyConfChange(cc);
      byte[] ctx = cc.context();
      long id = ctx.length >= 8 ? ByteBuffer.wrap(ctx).getLong() : 0;
      byte[] member = ctx.length >= 8 ? Arrays.copyOfRange(ctx, 8, ctx.length) : new byte[0];
      stateMachine.applyConfChange(e.index(), cc.type(), cc.nodeId(), member);
      complete(id, e.index());
    } else if (e.data().length >= 8) {
      long id = ByteBuffer.wrap(e.data()).getLong();
      stateMachine.apply(e.index(), ByteBuffer.wrap(e.data(), 8, e.data().length - 8));
      complete(id, e.index());
    }
    appliedIndex = e.index();
  }

  private void complete(long requestId, long index) {
    CompletableFuture<Long> done = waiting.remove(requestId);
    if (done != null) {
      done.complete(index);
    }
  }

  private void confirmReads(List<ReadState> states) {
    for (ReadState rs : states) {
      if (rs.context().length == 8) {
        CompletableFuture<Long> done = readsAsked.remove(ByteBuffer.wrap(rs.context()).getLong());
        if (done != null) {
          readsConfirmed.add(new PendingRead(rs.index(), done));
        }
      }
    }
    readsConfirmed.removeIf(r -> {
      if (r.index() <= appliedIndex) {
        r.done().complete(r.index());
        return true;
      }
      return false;
    });
  }

  private record PendingRead(long index, CompletableFuture<Long> done) {}

  private void observe(SoftState ss) {
    if (ss.lead() != lead && ss.lead() != RaftNode.NONE) {
      metrics.leaderChanges.inc();
    }
    if (ss.lead() != lead) {
      log.info("member {}: leader is now {} ({})", Long.toHexString(node.id()),
          Long.toHexString(ss.lead()), ss.role());
    }
    lead = ss.lead();
    metrics.hasLeader.set(lead == RaftNode.NONE ? 0 : 1);
    metrics.isLeader.set(ss.role() == Role.LEADER ? 1 : 0);
  }

  private void maybeSnapshot() throws IOException {
    if (appliedIndex - snapshotIndex < snapshotCount) {
      return;
    }
    Snapshot snap = storage.createSnapshot(
        appliedIndex, node.status().confState(), stateMachine.snapshot());
    snapshotter.save(snap);
    wal.saveSnapshotMarker(snap.metadata());
    long compactTo = appliedIndex - CATCH_UP_ENTRIES;
    if (compactTo > storage.firstIndex()) {
      storage.compact(compactTo);
    }
    wal.releaseTo(snap.metadata().index());
    snapshotIndex = appliedIndex;
    log.info("member {}: saved snapshot at index {}", Long.toHexString(node.id()), appliedIndex);
  }
}
