package io.raftwatch.raftkv.local;

import io.raftwatch.raftkv.raft.ConfState;
import io.raftwatch.raftkv.raft.Describe;
import io.raftwatch.raftkv.raft.RaftNode;
import io.raftwatch.raftkv.raft.Role;
import io.raftwatch.raftkv.raft.Status;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code raftkv local}: starts a cluster of members in this JVM on an in-process transport, with
 * their WALs and snapshots under {@code --data-dir}, writes to it at a steady rate and prints
 * what it does. Starting it again on the same directory recovers every member from disk.
 */
@Command(
    name = "local",
    mixinStandardHelpOptions = true,
    description = {
      "Run a whole raftkv cluster inside this process.",
      "Real Raft, real fsynced WALs and snapshots; members connected in memory. Writes",
      "key=value commands at --rate per second and prints the leader, term, commit and",
      "applied indexes of every member every 2 seconds. Runs until --duration elapses or",
      "Ctrl-C; the data directory is kept, and a second run on it recovers every member",
      "from its WAL and snapshots."
    })
public final class LocalClusterCommand implements Callable<Integer> {
  @Option(names = "--members", defaultValue = "3", description = "Members in the cluster (default ${DEFAULT-VALUE}).")
  int members;

  @Option(names = "--data-dir", defaultValue = "raftkv-local", description = "Where the members keep their WALs and snapshots (default ${DEFAULT-VALUE}).")
  Path dataDir;

  @Option(names = "--heartbeat-interval", defaultValue = "100", description = "Milliseconds between heartbeats, as etcd's flag (default ${DEFAULT-VALUE}).")
  long heartbeatMillis;

  @Option(names = "--election-timeout", defaultValue = "1000", description = "Milliseconds before a follower campaigns, as etcd's flag (default ${DEFAULT-VALUE}).")
  long electionMillis;

  @Option(names = "--snapshot-count", defaultValue = "10000", description = "Applied entries between snapshots (default ${DEFAULT-VALUE}).")
  long snapshotCount;

  @Option(names = "--rate", defaultValue = "50", description = "Writes per second (default ${DEFAULT-VALUE}).")
  int rate;

  @Option(names = "--duration", defaultValue = "0", description = "Seconds to run; 0 runs until Ctrl-C (default ${DEFAULT-VALUE}).")
  long durationSeconds;

  @Option(names = "--kill-leader-every", defaultValue = "0", description = "Seconds between stopping the leader abruptly and restarting it 3 s later on its data; 0 never (default ${DEFAULT-VALUE}).")
  long killEverySeconds;

  @Override
  public Integer call() throws Exception {
    if (members < 1 || members > 7) {
      System.err.println("raftkv local: --members must be between 1 and 7, got " + members);
      return 2;
    }
    if (electionMillis < 5 * heartbeatMillis) {
      System.err.println("raftkv local: --election-timeout (" + electionMillis
          + " ms) should be at least 5 times --heartbeat-interval (" + heartbeatMillis + " ms), as etcd requires");
      return 2;
    }
    long[] ids = new long[members];
    for (int i = 0; i < members; i++) {
      ids[i] = i + 1;
    }
    ConfState cluster = ConfState.ofVoters(ids);
    InProcessTransport net = new InProcessTransport();
    ScheduledExecutorService clock = Executors.newScheduledThreadPool(2, r -> {
      Thread t = new Thread(r, "local-cluster-clock");
      t.setDaemon(true);
      return t;
    });
    LocalMember.Timing timing = new LocalMember.Timing(heartbeatMillis, electionMillis, snapshotCount);
    List<LocalMember> all = new ArrayList<>();
    for (long id : ids) {
      LocalMember m = new LocalMember(id, dataDir, timing);
      m.start(cluster, net, clock);
      all.add(m);
    }
    System.out.println("raftkv local: " + members + " members, data in " + dataDir.toAbsolutePath()
        + ", heartbeat " + heartbeatMillis + " ms, election timeout " + electionMillis + " ms");

    AtomicLong acked = new AtomicLong();
    AtomicLong failed = new AtomicLong();
    Random random = new Random();
    clock.scheduleAtFixedRate(() -> {
      List<LocalMember> up = all.stream().filter(LocalMember::running).toList();
      if (up.isEmpty()) {
        return;
      }
      LocalMember target = up.get(random.nextInt(up.size()));
      byte[] cmd = ("key" + random.nextInt(1000) + "=" + System.nanoTime()).getBytes(StandardCharsets.UTF_8);
      target.loop.propose(cmd).orTimeout(5, TimeUnit.SECONDS)
          .whenComplete((index, err) -> (err == null ? acked : failed).incrementAndGet());
    }, 0, Math.max(1, 1_000_000 / Math.max(1, rate)), TimeUnit.MICROSECONDS);

    Runtime.getRuntime().addShutdownHook(new Thread(() -> stopAll(all, net)));
    long start = System.nanoTime();
    long nextKill = killEverySeconds;
    LocalMember killed = null;
    long restartAt = 0;
    while (durationSeconds == 0 || System.nanoTime() - start < TimeUnit.SECONDS.toNanos(durationSeconds)) {
      Thread.sleep(2000);
      long t = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start);
      System.out.println(progress(t, all, acked.get(), failed.get()));
      if (killed != null && t >= restartAt) {
        System.out.println("raftkv local: restarting member " + killed.id + " on its data");
        killed.start(cluster, net, clock);
        killed = null;
      }
      if (killEverySeconds > 0 && killed == null && t >= nextKill) {
        killed = all.stream().filter(m -> m.running()
            && m.loop.status().softState().role() == Role.LEADER).findFirst().orElse(null);
        if (killed != null) {
          System.out.println("raftkv local: stopping leader " + killed.id + " abruptly");
          killed.stop(net);
          restartAt = t + 3;
        }
        nextKill = t + killEverySeconds;
      }
    }
    return 0;
  }

  private static String progress(long seconds, List<LocalMember> all, long acked, long failed) {
    StringBuilder b = new StringBuilder(String.format("t=%3ds", seconds));
    long leader = RaftNode.NONE;
    long term = 0;
    for (LocalMember m : all) {
      if (m.running() && m.loop.status().softState().role() == Role.LEADER) {
        leader = m.id;
        term = m.loop.status().hardState().term();
      }
    }
    b.append(String.format("  leader=%s term=%d", leader == RaftNode.NONE ? "none" : leader, term));
    for (LocalMember m : all) {
      if (!m.running()) {
        b.append(String.format("  [%d down]", m.id));
        continue;
      }
      Status s = m.loop.status();
      b.append(String.format("  [%d %s commit=%d applied=%d keys=%d]", m.id,
          Describe.role(s.softState().role()).replace("State", ""), s.hardState().commit(),
          s.applied(), m.stateMachine.size()));
    }
    b.append(String.format("  writes ok=%d failed=%d", acked, failed));
    return b.toString();
  }

  private static void stopAll(List<LocalMember> all, InProcessTransport net) {
    for (LocalMember m : all) {
      try {
        if (m.running()) {
          m.stop(net);
        }
      } catch (Exception e) {
        System.err.println("raftkv local: stopping member " + m.id + ": " + e);
      }
    }
  }
}
