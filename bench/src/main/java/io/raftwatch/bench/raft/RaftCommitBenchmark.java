package io.raftwatch.bench.raft;

import io.raftwatch.raftkv.raft.ConfState;
import io.raftwatch.raftkv.raft.Entry;
import io.raftwatch.raftkv.raft.MemoryStorage;
import io.raftwatch.raftkv.raft.Message;
import io.raftwatch.raftkv.raft.RaftConfig;
import io.raftwatch.raftkv.raft.RaftLogger;
import io.raftwatch.raftkv.raft.RaftNode;
import io.raftwatch.raftkv.raft.Ready;
import io.raftwatch.raftkv.raft.Role;
import java.util.ArrayDeque;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Entries committed per second by a 3-node Raft core in memory: no disk, no network, messages
 * delivered in order the moment they are sent. It measures the core's own cost per entry (log
 * bookkeeping, progress tracking, message building), the ceiling above which only I/O limits
 * raftkv. Each invocation proposes {@code batch} entries on the leader and drives every node until
 * all of them are committed and applied everywhere, the way the raft loop batches proposals that
 * arrive during one fsync. Each node's storage is compacted to its applied index after every batch,
 * as snapshots do on a member.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 3)
@Fork(1)
public class RaftCommitBenchmark {
  private static final int BATCH = 64;

  @Param({"128"})
  int payloadBytes;

  private RaftNode[] nodes;
  private MemoryStorage[] disks;
  private final ArrayDeque<Message> wire = new ArrayDeque<>();
  private byte[] payload;
  private long applied;
  private final long[] appliedIndex = new long[3];

  @Setup(Level.Trial)
  public void startCluster() {
    ConfState cs = ConfState.ofVoters(1, 2, 3);
    nodes = new RaftNode[3];
    disks = new MemoryStorage[3];
    for (int i = 0; i < 3; i++) {
      disks[i] = MemoryStorage.bootstrap(cs);
      nodes[i] = new RaftNode(RaftConfig.defaults(i + 1), disks[i], new Random(i), RaftLogger.DISCARD);
    }
    payload = new byte[payloadBytes];
    drive(); // apply the bootstrap membership entries: no campaign while they are unapplied
    nodes[0].campaign();
    drive();
    if (nodes[0].status().softState().role() != Role.LEADER) {
      throw new IllegalStateException("node 1 did not become leader");
    }
  }

  /** One batch of proposals, committed and applied on all three nodes. */
  @Benchmark
  @OperationsPerInvocation(BATCH)
  public long commitBatch() {
    for (int i = 0; i < BATCH; i++) {
      nodes[0].propose(payload);
    }
    drive();
    // As a member does after a snapshot: without compaction the logs grow by millions of entries
    // per iteration and the garbage collector, not Raft, sets the pace.
    for (int i = 0; i < 3; i++) {
      disks[i].compact(appliedIndex[i]);
    }
    return applied;
  }

  private void drive() {
    boolean busy = true;
    while (busy) {
      busy = false;
      for (int i = 0; i < 3; i++) {
        while (nodes[i].hasReady()) {
          busy = true;
          Ready rd = nodes[i].ready();
          disks[i].append(rd.entries());
          if (rd.hardState() != null) {
            disks[i].setHardState(rd.hardState());
          }
          wire.addAll(rd.messages());
          for (Entry e : rd.committedEntries()) {
            applied += e.data().length;
            appliedIndex[i] = e.index();
          }
          nodes[i].advance(rd);
        }
      }
      while (!wire.isEmpty()) {
        busy = true;
        Message m = wire.poll();
        nodes[(int) m.to() - 1].step(m);
      }
    }
  }
}
