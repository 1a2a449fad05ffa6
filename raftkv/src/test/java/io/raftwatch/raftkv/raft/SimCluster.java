package io.raftwatch.raftkv.raft;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

/**
 * A whole cluster under seeded chaos: message loss, duplication, reordering and delay,
 * partitions, crashes that lose everything not persisted, membership changes and snapshots. After
 * every step it checks Raft's safety properties (Figure 3): election safety, log matching, leader
 * completeness and state machine safety; at the end, that every acknowledged proposal is applied
 * on every member and that a leader emerges within a bounded time once faults stop.
 */
final class SimCluster {
  static final int ELECTION_TICK = 10;

  /** Thrown when an invariant breaks; the message says which and where. */
  static final class InvariantViolation extends AssertionError {
    InvariantViolation(String message) {
      super(message);
    }
  }

  /** The replicated state machine: a hash chain over applied commands. */
  private static final class StateMachine {
    long appliedIndex;
    long hash;

    byte[] snapshot() {
      return ByteBuffer.allocate(16).putLong(appliedIndex).putLong(hash).array();
    }

    void restore(byte[] data) {
      ByteBuffer b = ByteBuffer.wrap(data);
      appliedIndex = b.getLong();
      hash = b.getLong();
    }
  }

  private final class SimNode {
    final long id;
    MemoryStorage disk;
    RaftNode raft;
    boolean alive = true;
    int restarts;
    final StateMachine sm = new StateMachine();
    final int snapshotEvery;
    Role lastRole = Role.FOLLOWER;

    SimNode(long id, MemoryStorage disk) {
      this.id = id;
      this.disk = disk;
      this.snapshotEvery = 5 + random.nextInt(30);
      start();
    }

    void start() {
      Snapshot snap = disk.snapshot();
      sm.appliedIndex = 0;
      sm.hash = 0;
      if (!snap.isEmpty()) {
        sm.restore(snap.data());
      }
      RaftConfig config = RaftConfig.defaults(id)
          .withTicks(ELECTION_TICK, 1)
          .withLimits(256 + random.nextInt(2048), 2 + random.nextInt(8))
          .withApplied(sm.appliedIndex);
      raft = new RaftNode(config, disk, new Random(seed * 31 + id * 7 + restarts), trace(id));
      lastRole = Role.FOLLOWER;
    }
  }

  private final long seed;
  private final Random random;
  private final SimNetwork network;
  private final Map<Long, SimNode> nodes = new LinkedHashMap<>();
  private final ArrayDeque<String> recentLog = new ArrayDeque<>();
  private long now;
  private long nextId;
  private int proposals;

  // What the invariants are checked against.
  private final Map<Long, Long> leaderOfTerm = new HashMap<>();
  private final TreeMap<Long, Entry> appliedEntries = new TreeMap<>();
  private final Map<Long, Long> hashAt = new HashMap<>();
  private final Map<String, Long> acknowledged = new HashMap<>();

  SimCluster(long seed, int size) {
    this.seed = seed;
    this.random = new Random(seed);
    this.network = new SimNetwork(random);
    long[] ids = new long[size];
    for (int i = 0; i < size; i++) {
      ids[i] = i + 1;
    }
    ConfState cs = ConfState.ofVoters(ids);
    for (long id : ids) {
      nodes.put(id, new SimNode(id, MemoryStorage.bootstrap(cs)));
    }
    nextId = size + 1;
  }

  private RaftLogger trace(long id) {
    return new RaftLogger() {
      @Override
      public void info(String message) {
        record("t=" + now + " INFO " + message);
      }

      @Override
      public void warn(String message) {
        record("t=" + now + " WARN " + message);
      }
    };
  }

  private void record(String line) {
    if (recentLog.size() == 400) {
      recentLog.removeFirst();
    }
    recentLog.addLast(line);
  }

  String recentLog() {
    return String.join("\n", recentLog);
  }

  /** Runs {@code faultTicks} of chaos, then heals everything and checks liveness. */
  void run(int faultTicks) {
    network.setFaults(random.nextDouble() * 0.2, random.nextDouble() * 0.1, 1 + random.nextInt(3));
    for (int i = 0; i < faultTicks; i++) {
      maybeInjectFault();
      if (random.nextInt(3) == 0) {
        proposeSomewhere();
      }
      step();
    }
    recover();
  }

  private void maybeInjectFault() {
    int r = random.nextInt(1000);
    if (r < 8) {
      crashSomeone();
    } else if (r < 20) {
      restartSomeone();
    } else if (r < 26) {
      randomPartition();
    } else if (r < 36) {
      network.heal();
    } else if (r < 40) {
      changeMembership();
    } else if (r < 42) {
      transferLeadership();
    }
  }

  private void crashSomeone() {
    List<SimNode> alive = nodes.values().stream().filter(n -> n.alive).toList();
    if (alive.size() <= 1) {
      return;
    }
    SimNode n = alive.get(random.nextInt(alive.size()));
    n.alive = false;
    network.dropMessagesTo(n.id).forEach(m -> reportSnapshot(m, false));
    record("t=" + now + " SIM crash " + n.id);
  }

  private void restartSomeone() {
    List<SimNode> dead = nodes.values().stream().filter(n -> !n.alive).toList();
    if (dead.isEmpty()) {
      return;
    }
    SimNode n = dead.get(random.nextInt(dead.size()));
    restart(n);
  }

  private void restart(SimNode n) {
    n.restarts++;
    n.alive = true;
    record("t=" + now + " SIM restart " + n.id);
    n.start();
  }

  private void randomPartition() {
    List<Long> ids = new ArrayList<>(nodes.keySet());
    java.util.Collections.shuffle(ids, random);
    int cut = 1 + random.nextInt(ids.size() - 1);
    network.partition(List.of(ids.subList(0, cut), ids.subList(cut, ids.size())));
    record("t=" + now + " SIM partition " + ids.subList(0, cut) + " | " + ids.subList(cut, ids.size()));
  }

  private SimNode leader() {
    for (SimNode n : nodes.values()) {
      if (n.alive && n.raft.status().softState().role() == Role.LEADER) {
        return n;
      }
    }
    return null;
  }

  private void changeMembership() {
    SimNode leader = leader();
    if (leader == null) {
      return;
    }
    ConfState cs = leader.raft.status().confState();
    int choice = random.nextInt(3);
    ConfChange cc;
    if (choice == 0 && cs.voters().size() + cs.learners().size() < 7) {
      long id = nextId++;
      nodes.put(id, new SimNode(id, new MemoryStorage()));
      cc = ConfChange.of(random.nextBoolean() ? ConfChangeType.ADD_NODE : ConfChangeType.ADD_LEARNER_NODE, id);
    } else if (choice == 1 && !cs.learners().isEmpty()) {
      cc = ConfChange.of(ConfChangeType.ADD_NODE, cs.learners().first());
    } else if (choice == 2 && cs.voters().size() > 3) {
      List<Long> voters = new ArrayList<>(cs.voters());
      cc = ConfChange.of(ConfChangeType.REMOVE_NODE, voters.get(random.nextInt(voters.size())));
    } else {
      return;
    }
    record("t=" + now + " SIM propose conf change " + cc + " on " + leader.id);
    leader.raft.proposeConfChange(cc);
  }

  private void transferLeadership() {
    SimNode leader = leader();
    if (leader == null) {
      return;
    }
    List<Long> voters = new ArrayList<>(leader.raft.status().confState().voters());
    leader.raft.transferLeadership(voters.get(random.nextInt(voters.size())));
  }

  private void proposeSomewhere() {
    List<SimNode> alive = nodes.values().stream().filter(n -> n.alive).toList();
    SimNode n = alive.get(random.nextInt(alive.size()));
    String cmd = "n" + n.id + "-c" + (proposals++);
    n.raft.propose(cmd.getBytes(StandardCharsets.UTF_8));
  }

  /** One tick of logical time: every live node ticks, works off its Ready, receives messages. */
  private void step() {
    now++;
    for (SimNode n : nodes.values()) {
      if (n.alive) {
        n.raft.tick();
        processReady(n);
      }
    }
    for (SimNetwork.Delivery d : network.due(now)) {
      Message m = d.message();
      SimNode to = nodes.get(m.to());
      boolean delivered = d.connected() && to != null && to.alive;
      reportSnapshot(m, delivered);
      if (delivered) {
        to.raft.step(m);
        processReady(to);
      }
    }
    checkElectionSafety();
    if (now % 50 == 0) {
      checkLogMatching();
    }
  }

  private void processReady(SimNode n) {
    while (n.raft.hasReady()) {
      Ready rd = n.raft.ready();
      // 1. Persist. A crash is only ever between cycles, after this completed or before it
      //    began: either way nothing acknowledged was lost, which is what fsync guarantees.
      if (!rd.snapshot().isEmpty()) {
        n.disk.applySnapshot(rd.snapshot());
      }
      n.disk.append(rd.entries());
      if (rd.hardState() != null) {
        n.disk.setHardState(rd.hardState());
      }
      // 2. Send.
      for (Message m : rd.messages()) {
        if (!network.send(now, m)) {
          reportSnapshot(m, false);
        }
      }
      // 3. Apply.
      if (!rd.snapshot().isEmpty()) {
        n.sm.restore(rd.snapshot().data());
        checkHash(n, rd.snapshot().metadata().index());
      }
      for (Entry e : rd.committedEntries()) {
        apply(n, e);
      }
      if (rd.softState() != null && rd.softState().role() == Role.LEADER
          && n.lastRole != Role.LEADER) {
        checkLeaderCompleteness(n);
      }
      if (rd.softState() != null) {
        n.lastRole = rd.softState().role();
      }
      n.raft.advance(rd);
      maybeSnapshot(n);
    }
  }

  /** As etcd's transport does, tells the leader whether a snapshot it sent got through. */
  private void reportSnapshot(Message m, boolean delivered) {
    SimNode from = nodes.get(m.from());
    if (m instanceof Message.InstallSnapshot && from.alive) {
      from.raft.reportSnapshot(m.to(), delivered);
    }
  }

  private void apply(SimNode n, Entry e) {
    if (e.index() != n.sm.appliedIndex + 1) {
      throw violation("state machine safety: node " + n.id + " applies " + e.index()
          + " after " + n.sm.appliedIndex);
    }
    Entry known = appliedEntries.putIfAbsent(e.index(), e);
    if (known != null && !known.equals(e)) {
      throw violation("state machine safety: node " + n.id + " applied " + e + " at index "
          + e.index() + " where another node applied " + known);
    }
    if (e.type() == EntryType.CONF_CHANGE) {
      n.raft.applyConfChange(ConfChange.decode(e.data()));
    }
    n.sm.appliedIndex = e.index();
    n.sm.hash = n.sm.hash * 1_000_003 + e.hashCode();
    checkHash(n, e.index());
    String cmd = new String(e.data(), StandardCharsets.UTF_8);
    if (e.type() == EntryType.NORMAL && cmd.startsWith("n" + n.id + "-")) {
      // The proposer saw it applied: its client got an ack.
      acknowledged.put(cmd.substring(cmd.indexOf('-') + 1), e.index());
    }
  }

  private void checkHash(SimNode n, long index) {
    Long known = hashAt.putIfAbsent(index, n.sm.hash);
    if (known != null && known != n.sm.hash) {
      throw violation("state machine safety: node " + n.id + " state at " + index
          + " differs from another node's");
    }
  }

  private void maybeSnapshot(SimNode n) {
    long snapIndex = n.disk.snapshot().metadata().index();
    if (n.sm.appliedIndex - snapIndex < n.snapshotEvery) {
      return;
    }
    n.disk.createSnapshot(n.sm.appliedIndex, n.raft.status().confState(), n.sm.snapshot());
    // Keep a few entries so slightly lagging followers catch up without a snapshot.
    n.disk.compact(Math.max(snapIndex, n.sm.appliedIndex - random.nextInt(5)));
  }

  private void checkElectionSafety() {
    for (SimNode n : nodes.values()) {
      if (!n.alive) {
        continue;
      }
      Status s = n.raft.status();
      if (s.softState().role() == Role.LEADER) {
        Long other = leaderOfTerm.putIfAbsent(s.hardState().term(), n.id);
        if (other != null && other != n.id) {
          throw violation("election safety: " + other + " and " + n.id + " both led term "
              + s.hardState().term());
        }
      }
    }
  }

  /** Figure 3: a new leader's log holds every entry that any node has applied. */
  private void checkLeaderCompleteness(SimNode n) {
    List<Entry> log = n.raft.logEntries();
    long first = log.isEmpty() ? n.raft.status().lastIndex() + 1 : log.get(0).index();
    for (Entry committed : appliedEntries.tailMap(first, true).values()) {
      long i = committed.index();
      if (i > n.raft.status().lastIndex()) {
        throw violation("leader completeness: leader " + n.id + " lacks committed entry " + committed);
      }
      Entry mine = log.get((int) (i - first));
      if (!mine.equals(committed)) {
        throw violation("leader completeness: leader " + n.id + " has " + mine
            + " where " + committed + " was committed");
      }
    }
  }

  /** Figure 3: entries with the same index and term are preceded by identical logs. */
  void checkLogMatching() {
    List<SimNode> live = nodes.values().stream().filter(n -> n.alive).toList();
    for (int a = 0; a < live.size(); a++) {
      for (int b = a + 1; b < live.size(); b++) {
        checkLogMatching(live.get(a), live.get(b));
      }
    }
  }

  private void checkLogMatching(SimNode x, SimNode y) {
    List<Entry> lx = x.raft.logEntries();
    List<Entry> ly = y.raft.logEntries();
    if (lx.isEmpty() || ly.isEmpty()) {
      return;
    }
    long lo = Math.max(lx.get(0).index(), ly.get(0).index());
    long hi = Math.min(lx.get(lx.size() - 1).index(), ly.get(ly.size() - 1).index());
    long lastMatch = -1;
    for (long i = hi; i >= lo; i--) {
      if (lx.get((int) (i - lx.get(0).index())).term() == ly.get((int) (i - ly.get(0).index())).term()) {
        lastMatch = i;
        break;
      }
    }
    for (long i = lo; i <= lastMatch; i++) {
      Entry ex = lx.get((int) (i - lx.get(0).index()));
      Entry ey = ly.get((int) (i - ly.get(0).index()));
      if (!ex.equals(ey)) {
        throw violation("log matching: nodes " + x.id + " and " + y.id + " agree at index "
            + lastMatch + " but differ at " + i + ": " + ex + " vs " + ey);
      }
    }
  }

  /**
   * Stops the faults and checks liveness: a leader within a bounded number of ticks, a fresh
   * proposal committed, and every acknowledged proposal applied on every member.
   */
  private void recover() {
    network.heal();
    network.setFaults(0, 0, 1);
    nodes.values().stream().filter(n -> !n.alive).toList().forEach(this::restart);
    long healedAt = now;
    // Pre-vote plus randomized timeouts: a few election rounds at most.
    long bound = 30L * ELECTION_TICK;
    SimNode leader = null;
    while (now - healedAt < bound) {
      step();
      leader = leader();
      if (leader != null && leaderIsStable(leader)) {
        break;
      }
      leader = null;
    }
    if (leader == null) {
      throw violation("liveness: no leader " + bound + " ticks after the faults healed");
    }
    // Like a client, retry until the proposal is acknowledged: it may be dropped (a transfer is
    // under way) or lost with a leader that steps down.
    String last = "final";
    long proposedAt = now;
    while (!acknowledged.containsKey(last) || !allMembersApplied()) {
      if (now - proposedAt > bound) {
        long needed = acknowledged.values().stream().mapToLong(Long::longValue).max().orElse(0);
        throw violation("durability: not every member applied the " + acknowledged.size()
            + " acknowledged proposals (up to index " + needed + ") " + bound
            + " ticks after the final proposal (final acknowledged="
            + acknowledged.containsKey(last) + ")\n" + describeNodes());
      }
      SimNode current = leader();
      if (!acknowledged.containsKey(last) && current != null
          && (now - proposedAt) % ELECTION_TICK == 0) {
        current.raft.propose(("n" + current.id + "-" + last).getBytes(StandardCharsets.UTF_8));
      }
      step();
    }
    checkLogMatching();
  }

  private boolean leaderIsStable(SimNode leader) {
    long term = leader.raft.status().hardState().term();
    for (long id : leader.raft.status().confState().voters()) {
      SimNode n = nodes.get(id);
      if (n.raft.status().hardState().term() != term) {
        return false;
      }
    }
    return true;
  }

  /** Every member of the current configuration applied every acknowledged proposal. */
  private boolean allMembersApplied() {
    SimNode leader = leader();
    if (leader == null) {
      return false;
    }
    long needed = acknowledged.values().stream().mapToLong(Long::longValue).max().orElse(0);
    ConfState cs = leader.raft.status().confState();
    return java.util.stream.Stream.concat(cs.voters().stream(), cs.learners().stream())
        .allMatch(id -> nodes.get(id).sm.appliedIndex >= needed);
  }

  private String describeNodes() {
    StringBuilder b = new StringBuilder();
    for (SimNode n : nodes.values()) {
      Status s = n.raft.status();
      b.append(n.id).append(": ").append(n.alive ? "" : "dead ")
          .append(Describe.role(s.softState().role())).append(" term=").append(s.hardState().term())
          .append(" lead=").append(s.softState().lead()).append(" commit=")
          .append(s.hardState().commit()).append(" applied=").append(n.sm.appliedIndex)
          .append(" last=").append(s.lastIndex()).append(" first=").append(n.disk.firstIndex())
          .append(" conf=").append(Describe.confState(s.confState())).append('\n');
      if (s.softState().role() == Role.LEADER) {
        b.append(n.raft.describeProgress());
      }
    }
    return b.toString();
  }

  int acknowledgedCount() {
    return acknowledged.size();
  }

  private InvariantViolation violation(String what) {
    return new InvariantViolation(what + " (seed " + seed + ", tick " + now + ")");
  }
}
