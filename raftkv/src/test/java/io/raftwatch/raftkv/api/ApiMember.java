package io.raftwatch.raftkv.api;

import io.prometheus.client.CollectorRegistry;
import io.raftwatch.raftkv.local.InProcessTransport;
import io.raftwatch.raftkv.membership.Member;
import io.raftwatch.raftkv.mvcc.MemoryBackend;
import io.raftwatch.raftkv.mvcc.MvccMetrics;
import io.raftwatch.raftkv.raft.ConfState;
import io.raftwatch.raftkv.raft.RaftConfig;
import io.raftwatch.raftkv.raft.RaftNode;
import io.raftwatch.raftkv.raft.Role;
import io.raftwatch.raftkv.server.AttributesPublisher;
import io.raftwatch.raftkv.server.KvApplier;
import io.raftwatch.raftkv.server.KvProposer;
import io.raftwatch.raftkv.server.LeaderLeases;
import io.raftwatch.raftkv.server.LeaderRequests;
import io.raftwatch.raftkv.server.LeaseExpiry;
import io.raftwatch.raftkv.server.Quota;
import io.raftwatch.raftkv.server.RaftLoop;
import io.raftwatch.raftkv.server.Recovery;
import io.raftwatch.raftkv.server.ServerMetrics;
import io.raftwatch.raftkv.server.Slf4jRaftLogger;
import io.raftwatch.raftkv.server.SlowApplies;
import io.raftwatch.raftkv.storage.Snapshotter;
import io.raftwatch.raftkv.storage.StorageMetrics;
import io.raftwatch.raftkv.storage.Wal;
import io.raftwatch.raftkv.storage.WalOptions;
import io.raftwatch.raftkv.transport.Transport;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * One member of a test cluster in this JVM: WAL and snapshots under a temp dir, the MVCC store on
 * the memory backend, the raft loop on its own thread, the etcd API on a loopback ephemeral port.
 */
final class ApiMember {
  static final long CLUSTER_ID = 0x1c2d3e4f;
  private static final long HEARTBEAT_MILLIS = 20;
  private static final int ELECTION_TICKS = 10;
  // etcd's default --max-request-bytes (1.5 MiB).
  static final int MAX_REQUEST_BYTES = 1536 * 1024;

  // Each in-process cluster's members' leader-only request handlers, by the cluster's transport.
  private static final Map<InProcessTransport, Map<Long, LeaderRequests>> LEADERS =
      Collections.synchronizedMap(new WeakHashMap<>());

  final long id;
  CollectorRegistry registry;
  // --quota-backend-bytes; 0 for etcd's default.
  long quotaBytes;
  RaftLoop loop;
  ApiServer api;
  private Wal wal;
  private Thread thread;
  private ScheduledFuture<?> ticker;
  private ScheduledFuture<?> leaseExpiry;
  private ScheduledFuture<?> watchSync;
  private ScheduledFuture<?> backendCommit;
  private ScheduledFuture<?> publication;
  private AttributesPublisher publisher;

  ApiMember(long id) {
    this.id = id;
  }

  void start(
      Path dataDir,
      ConfState cluster,
      InProcessTransport net,
      ScheduledExecutorService clock)
      throws IOException {
    Path dir = dataDir.resolve("member-" + id);
    Files.createDirectories(dir);
    registry = new CollectorRegistry();
    StorageMetrics storageMetrics = new StorageMetrics(registry);
    MvccMetrics mvccMetrics = new MvccMetrics(registry);
    wal = Wal.open(dir.resolve("wal"), WalOptions.defaults(), storageMetrics);
    Snapshotter snapshotter =
        new Snapshotter(dir.resolve("snap"), Snapshotter.DEFAULT_RETAIN, storageMetrics);
    ServerMetrics serverMetrics = new ServerMetrics(registry, id);
    KvApplier applier =
        new KvApplier(
            new MemoryBackend(mvccMetrics),
            mvccMetrics,
            1,
            Clock.systemUTC(),
            new KvApplier.Identity(CLUSTER_ID, id, () -> loop.status().hardState().term()),
            new SlowApplies(System::nanoTime, serverMetrics));
    // Founders are named by their hex id; each publishes its client URL once it runs.
    Recovery.Recovered recovered = Recovery.load(wal, snapshotter, applier, cluster,
        fid -> new Member(fid, Long.toHexString(fid), List.of(), List.of(), false).encode());
    RaftNode node =
        new RaftNode(
            RaftConfig.defaults(id)
                .withTicks(ELECTION_TICKS, 1)
                .withApplied(recovered.appliedIndex()),
            recovered.storage(),
            new SecureRandom(),
            new Slf4jRaftLogger());
    Transport[] transport = new Transport[1];
    loop =
        new RaftLoop(
            node,
            recovered,
            wal,
            snapshotter,
            applier,
            messages -> transport[0].send(messages),
            serverMetrics,
            10_000);
    transport[0] = net.forMember(loop.feedback());
    net.attach(id, loop);
    thread = new Thread(loop, "raft-loop-" + id);
    thread.start();
    ticker =
        clock.scheduleAtFixedRate(
            loop::tick, HEARTBEAT_MILLIS, HEARTBEAT_MILLIS, TimeUnit.MILLISECONDS);
    // Followers forward leader-only requests straight to the leader's LeaderRequests.
    Map<Long, LeaderRequests> leaders = LEADERS.computeIfAbsent(net, n -> new ConcurrentHashMap<>());
    LeaderRequests leaderRequests = new LeaderRequests(loop, (leader, request) -> {
      LeaderRequests target = leaders.get(leader);
      return target == null
          ? CompletableFuture.failedFuture(new IllegalStateException("no member " + leader))
          : target.answer(request);
    });
    leaders.put(id, leaderRequests);
    LeaderLeases leases = new LeaderLeases(loop, applier, leaderRequests, Duration.ofSeconds(5));
    KvProposer proposer = new KvProposer(loop, applier, id, MAX_REQUEST_BYTES,
        new Quota(quotaBytes, applier::backendSize));
    backendCommit =
        clock.scheduleAtFixedRate(
            () -> loop.onLoop(() -> {
              applier.commit();
              return null;
            }), 100, 100, TimeUnit.MILLISECONDS);
    leaseExpiry =
        clock.scheduleAtFixedRate(
            new LeaseExpiry(loop, applier, proposer), 100, 100, TimeUnit.MILLISECONDS);
    watchSync =
        clock.scheduleAtFixedRate(
            () -> loop.onLoop(applier::syncWatchers), 100, 100, TimeUnit.MILLISECONDS);
    MemberContext context =
        new MemberContext(loop, applier, proposer, Duration.ofSeconds(5), Clock.systemUTC(),
            peer -> true, leases, leaderRequests);
    api = ApiServer.start(new InetSocketAddress("127.0.0.1", 0), context,
        new GrpcMetrics(registry, false), null, MAX_REQUEST_BYTES,
        new EtcdHttp(registry, context::health));
    publisher = new AttributesPublisher(proposer, id, Long.toHexString(id), List.of(endpoint()),
        Duration.ofSeconds(5));
    publication = clock.scheduleAtFixedRate(publisher, 0, 100, TimeUnit.MILLISECONDS);
  }

  String endpoint() {
    return "http://127.0.0.1:" + api.port();
  }

  /** Whether this member's name and client URL were applied (MemberList shows them). */
  boolean published() {
    return publisher.published();
  }

  boolean leads() {
    return loop.status().softState().role() == Role.LEADER;
  }

  void stop(InProcessTransport net) throws IOException, InterruptedException {
    api.close();
    net.detach(id);
    ticker.cancel(false);
    leaseExpiry.cancel(false);
    watchSync.cancel(false);
    backendCommit.cancel(false);
    publication.cancel(false);
    loop.stop();
    thread.join();
    wal.close();
  }
}
