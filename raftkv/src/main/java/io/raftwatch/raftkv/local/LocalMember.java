package io.raftwatch.raftkv.local;

import io.prometheus.client.CollectorRegistry;
import io.raftwatch.raftkv.raft.ConfState;
import io.raftwatch.raftkv.raft.RaftConfig;
import io.raftwatch.raftkv.raft.RaftNode;
import io.raftwatch.raftkv.server.RaftLoop;
import io.raftwatch.raftkv.server.Recovery;
import io.raftwatch.raftkv.server.ServerMetrics;
import io.raftwatch.raftkv.server.Slf4jRaftLogger;
import io.raftwatch.raftkv.storage.Snapshotter;
import io.raftwatch.raftkv.storage.StorageMetrics;
import io.raftwatch.raftkv.storage.Wal;
import io.raftwatch.raftkv.storage.WalOptions;
import io.raftwatch.raftkv.transport.Transport;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * One member of the local cluster: its data directory ({@code member-N/wal}, {@code
 * member-N/snap}), its raft loop thread and its ticker. Can be stopped abruptly and started again
 * on the same data, which recovers from the WAL and the newest snapshot.
 */
final class LocalMember {
  record Timing(long heartbeatMillis, long electionMillis, long snapshotCount) {}

  final long id;
  private final Path dir;
  private final Timing timing;
  CollectorRegistry registry;
  KvStateMachine stateMachine;
  RaftLoop loop;
  private Wal wal;
  private Thread thread;
  private ScheduledFuture<?> ticker;

  LocalMember(long id, Path dataDir, Timing timing) {
    this.id = id;
    this.dir = dataDir.resolve("member-" + id);
    this.timing = timing;
  }

  boolean running() {
    return thread != null;
  }

  void start(ConfState initialCluster, InProcessTransport net, ScheduledExecutorService clock)
      throws IOException {
    registry = new CollectorRegistry();
    StorageMetrics storageMetrics = new StorageMetrics(registry);
    Files.createDirectories(dir);
    wal = Wal.open(dir.resolve("wal"), WalOptions.defaults(), storageMetrics);
    Snapshotter snapshotter = new Snapshotter(dir.resolve("snap"), Snapshotter.DEFAULT_RETAIN, storageMetrics);
    stateMachine = new KvStateMachine();
    Recovery.Recovered recovered = Recovery.load(wal, snapshotter, stateMachine, initialCluster);
    int electionTicks = (int) (timing.electionMillis() / timing.heartbeatMillis());
    RaftConfig config = RaftConfig.defaults(id).withTicks(electionTicks, 1)
        .withApplied(recovered.appliedIndex());
    RaftNode node = new RaftNode(config, recovered.storage(), new SecureRandom(), new Slf4jRaftLogger());
    // The loop needs its transport and the transport needs the loop's feedback: tie the knot.
    Transport[] transport = new Transport[1];
    loop = new RaftLoop(node, recovered, wal, snapshotter, stateMachine,
        messages -> transport[0].send(messages), new ServerMetrics(registry, id),
        timing.snapshotCount());
    transport[0] = net.forMember(loop.feedback());
    net.attach(id, loop);
    thread = new Thread(loop, "raft-loop-" + id);
    thread.start();
    ticker = clock.scheduleAtFixedRate(loop::tick, timing.heartbeatMillis(),
        timing.heartbeatMillis(), TimeUnit.MILLISECONDS);
  }

  /** Stops the member as a crash would: nothing is flushed beyond what the WAL already synced. */
  void stop(InProcessTransport net) throws IOException, InterruptedException {
    net.detach(id);
    ticker.cancel(false);
    loop.stop();
    thread.join();
    thread = null;
    wal.close();
  }
}
