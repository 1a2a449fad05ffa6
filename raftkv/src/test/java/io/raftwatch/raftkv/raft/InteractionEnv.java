package io.raftwatch.raftkv.raft;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeSet;

/**
 * Drives several {@link RaftNode}s by hand for the scenario scripts under
 * {@code src/test/resources/raft/} (model: etcd-io/raft rafttest/interaction_env_handler.go). Each
 * handler is documented with an example; its output is the nodes' log lines plus Describe lines.
 * Messages wait in per-node mailboxes until delivered, so scripts control every interleaving.
 */
final class InteractionEnv {

  /** One node with its "disk" (the storage it persisted to) and inbox. */
  private final class Node {
    final long id;
    final RaftConfig config;
    MemoryStorage storage;
    RaftNode raft;
    final List<Message> inbox = new ArrayList<>();
    final List<String> applied = new ArrayList<>();

    Node(long id, RaftConfig config, MemoryStorage storage) {
      this.id = id;
      this.config = config;
      this.storage = storage;
      this.raft = new RaftNode(config, storage, new Random(id), logger(id));
    }
  }

  private final Map<Long, Node> nodes = new LinkedHashMap<>();
  private final StringBuilder out = new StringBuilder();
  private final Map<Long, Integer> partitionOf = new HashMap<>();
  private boolean logging = true;

  private RaftLogger logger(long id) {
    return new RaftLogger() {
      @Override
      public void info(String message) {
        if (logging) {
          out.append("INFO ").append(message).append('\n');
        }
      }

      @Override
      public void warn(String message) {
        if (logging) {
          out.append("WARN ").append(message).append('\n');
        }
      }
    };
  }

  /** Runs one script command and returns what it printed ("ok" if nothing). */
  String handle(String command) {
    out.setLength(0);
    String[] words = command.trim().split("\\s+");
    Args args = new Args(Arrays.copyOfRange(words, 1, words.length));
    switch (words[0]) {
      case "add-nodes" -> addNodes(args);
      case "campaign" -> nodes(args).forEach(n -> n.raft.campaign());
      case "propose" -> propose(args);
      case "propose-conf-change" -> proposeConfChange(args);
      case "process-ready" -> nodes(args).forEach(this::processReady);
      case "deliver-msgs" -> nodes(args).forEach(n -> deliver(n, args.flag("drop")));
      case "stabilize" -> stabilize(args);
      case "tick-heartbeat" -> tick(args, n -> n.config.heartbeatTick());
      case "tick-election" -> tick(args, n -> n.config.electionTick());
      case "partition" -> partition(args);
      case "heal" -> partitionOf.clear();
      case "raft-state" -> raftState();
      case "raft-log" -> nodes(args).forEach(this::raftLog);
      case "status" -> nodes(args).forEach(n -> out.append(n.raft.describeProgress()));
      case "transfer-leadership" ->
          node(args.number("from")).raft.transferLeadership(args.number("to"));
      case "read-index" -> node(args.id(0)).raft.readIndex(args.word(1).getBytes(StandardCharsets.UTF_8));
      case "compact" -> compact(node(args.id(0)), args.id(1));
      case "restart" -> nodes(args).forEach(this::restart);
      case "report-unreachable" -> node(args.id(0)).raft.reportUnreachable(args.id(1));
      case "log-level" -> logging = !args.word(0).equals("none");
      default -> throw new IllegalArgumentException("unknown command " + words[0]);
    }
    return out.isEmpty() ? "ok\n" : out.toString();
  }

  private Node node(long id) {
    Node n = nodes.get(id);
    if (n == null) {
      throw new IllegalArgumentException("no node " + id);
    }
    return n;
  }

  /** The nodes named by the positional ids, or all nodes if none are named. */
  private List<Node> nodes(Args args) {
    List<Long> ids = args.ids();
    return ids.isEmpty() ? List.copyOf(nodes.values()) : ids.stream().map(this::node).toList();
  }

  /**
   * {@code add-nodes 3 voters=(1,2,3) learners=(4) pre-vote=true check-quorum=true} adds nodes with
   * the next free ids. The initial configuration defaults to the added nodes as voters for the
   * first call and to nothing afterwards (nodes that will join through a conf change).
   */
  private void addNodes(Args args) {
    int count = (int) args.id(0);
    long first = nodes.size() + 1;
    List<Long> defaultVoters = new ArrayList<>();
    if (nodes.isEmpty()) {
      for (long id = first; id < first + count; id++) {
        defaultVoters.add(id);
      }
    }
    ConfState cs = new ConfState(
        new TreeSet<>(args.list("voters", defaultVoters)), new TreeSet<>(args.list("learners", List.of())));
    RaftConfig base = RaftConfig.defaults(first)
        .withTicks((int) args.number("election", 10), (int) args.number("heartbeat", 1))
        .withPreVote(args.bool("pre-vote", false))
        .withCheckQuorum(args.bool("check-quorum", false))
        .withLimits(args.number("max-size", 1 << 20), (int) args.number("max-inflight", 256));
    for (long id = first; id < first + count; id++) {
      RaftConfig c = new RaftConfig(id, base.electionTick(), base.heartbeatTick(),
          base.maxSizePerMsg(), base.maxInflightMsgs(), base.maxCommittedSizePerReady(),
          base.checkQuorum(), base.preVote(), 0);
      MemoryStorage storage = new MemoryStorage();
      if (!cs.voters().isEmpty() || !cs.learners().isEmpty()) {
        // As etcd-io/raft's interaction tests do, founders start from a snapshot at index 1 that
        // holds the membership; a node added later catches up from that snapshot.
        storage.applySnapshot(new Snapshot(new SnapshotMetadata(1, 1, cs), new byte[0]));
      }
      nodes.put(id, new Node(id, c, storage));
    }
  }

  /** {@code propose 1 foo} proposes "foo" on node 1; prints "dropped" if it was refused. */
  private void propose(Args args) {
    if (!node(args.id(0)).raft.propose(args.word(1).getBytes(StandardCharsets.UTF_8))) {
      out.append("dropped\n");
    }
  }

  /** {@code propose-conf-change 1 v4} (add voter 4); also l4 (learner), r4 (remove), u4. */
  private void proposeConfChange(Args args) {
    Node n = node(args.id(0));
    for (int i = 1; i < args.positional.size(); i++) {
      String w = args.word(i);
      long target = Long.parseLong(w.substring(1));
      ConfChangeType type = switch (w.charAt(0)) {
        case 'v' -> ConfChangeType.ADD_NODE;
        case 'l' -> ConfChangeType.ADD_LEARNER_NODE;
        case 'r' -> ConfChangeType.REMOVE_NODE;
        case 'u' -> ConfChangeType.UPDATE_NODE;
        default -> throw new IllegalArgumentException("unknown conf change " + w);
      };
      if (!n.raft.proposeConfChange(ConfChange.of(type, target))) {
        out.append("dropped\n");
      }
    }
  }

  /** Persists, sends (to mailboxes) and applies one Ready of the node, and prints it. */
  private boolean processReady(Node n) {
    if (!n.raft.hasReady()) {
      return false;
    }
    out.append("> ").append(n.id).append(" handling Ready\n");
    int mark = out.length();
    Ready rd = n.raft.ready();
    for (String line : Describe.ready(rd).split("\n")) {
      out.append("  ").append(line).append('\n');
    }
    if (!rd.snapshot().isEmpty()) {
      n.storage.applySnapshot(rd.snapshot());
    }
    n.storage.append(rd.entries());
    if (rd.hardState() != null) {
      n.storage.setHardState(rd.hardState());
    }
    for (Message m : rd.messages()) {
      Node to = nodes.get(m.to());
      if (to == null) {
        continue;
      }
      if (!sameSide(m.from(), m.to())) {
        out.append("  dropped: ").append(Describe.message(m)).append('\n');
        continue;
      }
      to.inbox.add(m);
    }
    for (Entry e : rd.committedEntries()) {
      if (e.type() == EntryType.CONF_CHANGE) {
        int before = out.length();
        n.raft.applyConfChange(ConfChange.decode(e.data()));
        indent(before);
      }
      n.applied.add(Describe.entry(e));
    }
    n.raft.advance(rd);
    indent(mark);
    return true;
  }

  /** Log lines printed while handling a node's work are indented under its heading. */
  private void indent(int from) {
    String tail = out.substring(from);
    if (tail.isEmpty()) {
      return;
    }
    out.setLength(from);
    for (String line : tail.split("\n")) {
      out.append(line.startsWith("  ") ? line : "  " + line).append('\n');
    }
  }

  private boolean deliver(Node n, boolean drop) {
    if (n.inbox.isEmpty()) {
      return false;
    }
    List<Message> msgs = List.copyOf(n.inbox);
    n.inbox.clear();
    out.append("> ").append(n.id).append(drop ? " dropping" : " receiving").append(" messages\n");
    for (Message m : msgs) {
      out.append("  ").append(Describe.message(m)).append('\n');
      if (!drop) {
        int mark = out.length();
        n.raft.step(m);
        indent(mark);
      }
    }
    return true;
  }

  /**
   * {@code stabilize [ids]} alternates processing Readies and delivering messages until no node
   * has anything left to do.
   */
  private void stabilize(Args args) {
    List<Node> ns = nodes(args);
    boolean progress = true;
    while (progress) {
      progress = false;
      for (Node n : ns) {
        progress |= processReady(n);
      }
      for (Node n : ns) {
        progress |= deliver(n, false);
      }
    }
  }

  /** {@code tick-election 1 x2} ticks node 1 for two election timeouts' worth of ticks. */
  private void tick(Args args, java.util.function.ToIntFunction<Node> ticks) {
    int times = args.times();
    for (Node n : nodes(args)) {
      int total = ticks.applyAsInt(n) * times;
      for (int i = 0; i < total; i++) {
        n.raft.tick();
      }
    }
  }

  /** {@code partition 1 | 2 3}: messages between the groups are dropped when sent. */
  private void partition(Args args) {
    partitionOf.clear();
    int group = 0;
    for (String w : args.positional) {
      if (w.equals("|")) {
        group++;
      } else {
        partitionOf.put(Long.parseLong(w), group);
      }
    }
  }

  private boolean sameSide(long a, long b) {
    return partitionOf.isEmpty()
        || partitionOf.getOrDefault(a, -1).equals(partitionOf.getOrDefault(b, -1));
  }

  /** Prints each node's role, term, leader and membership. */
  private void raftState() {
    for (Node n : nodes.values()) {
      Status s = n.raft.status();
      String membership = s.confState().voters().contains(n.id) ? "Voter"
          : s.confState().learners().contains(n.id) ? "Learner" : "Non-Member";
      out.append(n.id).append(": ").append(Describe.role(s.softState().role()))
          .append(" (").append(membership).append(") Term:").append(s.hardState().term())
          .append(" Lead:").append(s.softState().lead())
          .append(" Commit:").append(s.hardState().commit()).append('\n');
    }
  }

  private void raftLog(Node n) {
    List<Entry> es = n.raft.logEntries();
    if (es.isEmpty()) {
      out.append("log is empty: first index=").append(n.storage.firstIndex())
          .append(", last index=").append(n.storage.lastIndex()).append('\n');
    }
    es.forEach(e -> out.append(Describe.entry(e)).append('\n'));
  }

  /**
   * {@code compact 1 11} snapshots node 1's applied state at index 11 and drops the log up to
   * it, so followers behind 11 need the snapshot.
   */
  private void compact(Node n, long index) {
    byte[] data = ("applied " + n.applied.size()).getBytes(StandardCharsets.UTF_8);
    n.storage.createSnapshot(index, n.raft.status().confState(), data);
    n.storage.compact(index);
    raftLog(n);
  }

  /** {@code restart 2}: the node crashes, losing everything it did not persist, and restarts. */
  private void restart(Node n) {
    n.inbox.clear();
    long applied = n.storage.snapshot().metadata().index();
    n.raft = new RaftNode(n.config.withApplied(applied), n.storage, new Random(n.id), logger(n.id));
  }

  /** Positional arguments and key=value options of one command. */
  private static final class Args {
    final List<String> positional = new ArrayList<>();
    final Map<String, String> named = new HashMap<>();

    Args(String[] words) {
      for (String w : words) {
        int eq = w.indexOf('=');
        if (eq > 0) {
          named.put(w.substring(0, eq), w.substring(eq + 1));
        } else {
          positional.add(w);
        }
      }
    }

    String word(int i) {
      return positional.get(i);
    }

    long id(int i) {
      return Long.parseLong(positional.get(i));
    }

    /** Numeric positionals, ignoring a trailing {@code xN} repeat count. */
    List<Long> ids() {
      return positional.stream().filter(w -> w.matches("\\d+")).map(Long::parseLong).toList();
    }

    int times() {
      return positional.stream().filter(w -> w.matches("x\\d+"))
          .map(w -> Integer.parseInt(w.substring(1))).findFirst().orElse(1);
    }

    long number(String key) {
      String v = named.get(key);
      if (v == null) {
        throw new IllegalArgumentException("missing " + key + "=");
      }
      return Long.parseLong(v);
    }

    long number(String key, long dflt) {
      return named.containsKey(key) ? Long.parseLong(named.get(key)) : dflt;
    }

    boolean bool(String key, boolean dflt) {
      return named.containsKey(key) ? Boolean.parseBoolean(named.get(key)) : dflt;
    }

    boolean flag(String key) {
      return bool(key, false);
    }

    List<Long> list(String key, List<Long> dflt) {
      String v = named.get(key);
      if (v == null) {
        return dflt;
      }
      String inner = v.replace("(", "").replace(")", "");
      if (inner.isEmpty()) {
        return List.of();
      }
      return Arrays.stream(inner.split(",")).map(Long::parseLong).toList();
    }
  }
}
