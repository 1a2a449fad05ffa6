package io.raftwatch.raftkv;

import io.etcd.jetcd.api.MemberListResponse;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContext;
import io.prometheus.client.CollectorRegistry;
import io.prometheus.client.exemplars.ExemplarConfig;
import io.prometheus.client.hotspot.StandardExports;
import io.raftwatch.raftkv.api.ApiServer;
import io.raftwatch.raftkv.api.GrpcMetrics;
import io.raftwatch.raftkv.api.EtcdHttp;
import io.raftwatch.raftkv.api.HttpEndpoints;
import io.raftwatch.raftkv.api.MemberContext;
import io.raftwatch.raftkv.config.ConfigException;
import io.raftwatch.raftkv.config.EtcdConfig;
import io.raftwatch.raftkv.config.TlsContexts;
import io.raftwatch.raftkv.membership.Member;
import io.raftwatch.raftkv.membership.MemberSet;
import io.raftwatch.raftkv.mvcc.Backend;
import io.raftwatch.raftkv.mvcc.LmdbBackend;
import io.raftwatch.raftkv.mvcc.MvccMetrics;
import io.raftwatch.raftkv.raft.ConfState;
import io.raftwatch.raftkv.raft.Message;
import io.raftwatch.raftkv.raft.RaftConfig;
import io.raftwatch.raftkv.raft.RaftNode;
import io.raftwatch.raftkv.server.AttributesPublisher;
import io.raftwatch.raftkv.server.AutoCompactor;
import io.raftwatch.raftkv.server.CompactionPolicy;
import io.raftwatch.raftkv.server.HeartbeatRhythm;
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
import io.raftwatch.raftkv.transport.GrpcTransport;
import io.raftwatch.raftkv.transport.PeerMetrics;
import io.raftwatch.raftkv.transport.PeerServer;
import io.raftwatch.raftkv.transport.PeerService;
import io.raftwatch.raftkv.transport.Transport;
import io.raftwatch.raftkv.transport.TransportOptions;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.HashMap;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The composition root of one raftkv process: builds a member from its {@link EtcdConfig} — WAL and
 * snapshots under {@code <data-dir>/member}, the MVCC store in LMDB, the raft loop, the gRPC peer
 * transport, the etcd API on the client URLs and {@code /metrics}, {@code /health} on the metrics
 * URLs — starts it, and stops it in the reverse order.
 */
final class RaftkvMember implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(RaftkvMember.class);
  // etcd commits its backend every 100 ms; the WAL already holds everything for recovery.
  private static final long BACKEND_COMMIT_MILLIS = 100;
  // etcd's revision compactor checks every 5 minutes.
  private static final Duration REVISION_COMPACTION_CHECK = Duration.ofMinutes(5);
  private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(5);
  // etcd retries publishing its attributes until it succeeds.
  private static final long PUBLISH_RETRY_MILLIS = 500;

  private final List<AutoCloseable> started = new ArrayList<>();
  private final CompletableFuture<Void> removed = new CompletableFuture<>();
  // Ids the cluster removed, whose peer messages are refused; written by the raft loop thread.
  private final Set<Long> removedPeers = ConcurrentHashMap.newKeySet();

  static RaftkvMember start(EtcdConfig cfg) throws IOException, ConfigException {
    RaftkvMember m = new RaftkvMember();
    try {
      m.build(cfg);
    } catch (IOException | ConfigException | RuntimeException e) {
      m.close();
      throw e;
    }
    return m;
  }

  private void build(EtcdConfig cfg) throws IOException, ConfigException {
    Path dir = cfg.dataDir().resolve("member");
    Files.createDirectories(dir.resolve("snap"));
    SslContext peerClientTls = cfg.peerTls().enabled() ? TlsContexts.grpcClient(cfg.peerTls()) : null;
    MemberIdentity identity = MemberIdentity.resolve(cfg, dir, peerClientTls);
    long id = identity.memberId();
    // etcd's /metrics has no exemplars, and sampling one costs each counter increment some CPU.
    ExemplarConfig.disableExemplars();
    CollectorRegistry registry = new CollectorRegistry();
    new StandardExports().register(registry);
    StorageMetrics storageMetrics = new StorageMetrics(registry);
    MvccMetrics mvccMetrics = new MvccMetrics(registry);
    Wal wal = Wal.open(dir.resolve("wal"), WalOptions.defaults(), storageMetrics);
    started.add(wal);
    Snapshotter snapshotter = new Snapshotter(dir.resolve("snap"), Snapshotter.DEFAULT_RETAIN, storageMetrics);
    // LMDB's map must hold what the quota lets in, plus room to finish the writes in flight.
    long mapSize = Math.max(LmdbBackend.DEFAULT_MAP_SIZE, 2 * cfg.quotaBackendBytes());
    Backend backend = new LmdbBackend(dir.resolve("snap").resolve("db"), mapSize, mvccMetrics);
    started.add(backend::close);

    RaftLoop[] loop = new RaftLoop[1];
    ServerMetrics serverMetrics = new ServerMetrics(registry, id);
    KvApplier applier = new KvApplier(backend, mvccMetrics, 1, Clock.systemUTC(),
        new KvApplier.Identity(identity.clusterId(), id, () -> loop[0].status().hardState().term()),
        new SlowApplies(System::nanoTime, serverMetrics));
    boolean founding = cfg.initialClusterState() == EtcdConfig.ClusterState.NEW;
    Map<String, Long> founderIds = cfg.initialCluster().memberIds(cfg.initialClusterToken());
    ConfState founders = founding
        ? ConfState.ofVoters(founderIds.values().stream().mapToLong(Long::longValue).toArray())
        : ConfState.EMPTY;
    // As etcd, each founder's ConfChange carries its name and peer URLs from --initial-cluster.
    Map<Long, Member> founderMembers = new HashMap<>();
    founderIds.forEach((name, fid) -> founderMembers.put(fid, new Member(fid, name,
        cfg.initialCluster().members().get(name).stream().map(URI::toString).toList(), List.of(), false)));
    Recovery.Recovered recovered = Recovery.load(wal, snapshotter, applier, founders,
        fid -> founderMembers.get(fid).encode());
    int electionTicks = cfg.electionMillis() / cfg.heartbeatMillis();
    RaftConfig raftConfig = RaftConfig.defaults(id).withTicks(electionTicks, 1)
        .withPreVote(cfg.preVote()).withApplied(recovered.appliedIndex());
    RaftNode node = new RaftNode(raftConfig, recovered.storage(), new SecureRandom(), new Slf4jRaftLogger());

    PeerMetrics peerMetrics = new PeerMetrics(registry, id);
    Transport[] transport = new Transport[1];
    HeartbeatRhythm heartbeats =
        new HeartbeatRhythm(cfg.heartbeatMillis(), System::nanoTime, serverMetrics);
    loop[0] = new RaftLoop(node, recovered, wal, snapshotter, applier, messages -> {
      heartbeats.observe(messages);
      transport[0].send(messages);
    }, serverMetrics, cfg.snapshotCount());
    Transport.Feedback loopFeedback = loop[0].feedback();
    GrpcTransport grpc = new GrpcTransport(identity.peers(), peerClientTls,
        new Transport.Feedback() {
          @Override
          public void unreachable(long peer) {
            loopFeedback.unreachable(peer);
          }

          @Override
          public void snapshotDelivered(long peer, boolean ok) {
            loopFeedback.snapshotDelivered(peer, ok);
          }

          @Override
          public void dropped(Message m) {
            loopFeedback.dropped(m);
          }

          @Override
          public void removedFromCluster(long peer) {
            // A removed member may never learn that its removal committed (the leader stops
            // sending to it): the others refusing its messages tell it, as in etcd.
            noticeRemoval("member " + Long.toHexString(peer) + " refused our messages");
          }
        },
        peerMetrics, TransportOptions.defaults());
    transport[0] = grpc;
    started.add(grpc);
    applier.onMembershipChange(members -> followMembership(id, members, grpc));

    Thread thread = new Thread(loop[0], "raft-loop");
    thread.start();
    started.add(() -> {
      loop[0].stop();
      thread.join();
    });
    ScheduledExecutorService clock = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "raft-clock");
      t.setDaemon(true);
      return t;
    });
    started.add(clock::shutdownNow);
    clock.scheduleAtFixedRate(loop[0]::tick, cfg.heartbeatMillis(), cfg.heartbeatMillis(), TimeUnit.MILLISECONDS);
    clock.scheduleAtFixedRate(() -> loop[0].onLoop(() -> {
      applier.commit();
      return null;
    }), BACKEND_COMMIT_MILLIS, BACKEND_COMMIT_MILLIS, TimeUnit.MILLISECONDS);

    LeaderRequests leaderRequests = new LeaderRequests(loop[0],
        (leader, request) -> grpc.forwardToLeader(leader, request, REQUEST_TIMEOUT));
    LeaderLeases leases = new LeaderLeases(loop[0], applier, leaderRequests, REQUEST_TIMEOUT);
    PeerService peerService = new PeerService(loop[0]::deliver, peerMetrics,
        () -> loop[0].onLoop(() -> MemberListResponse.newBuilder()
            .setHeader(applier.header())
            .addAllMembers(applier.members().members().stream().map(Member::toProto).toList())
            .build()
            .toByteArray()),
        leaderRequests::answer, removedPeers::contains);
    for (URI url : cfg.listenPeerUrls()) {
      started.add(PeerServer.start(address(url),
          "https".equals(url.getScheme()) ? TlsContexts.grpcServer(cfg.peerTls()) : null,
          peerService, TransportOptions.defaults()));
    }
    Quota quota = new Quota(cfg.quotaBackendBytes(), applier::backendSize);
    serverMetrics.quotaBackendBytes.set(quota.bytes());
    KvProposer proposer = new KvProposer(loop[0], applier, id, cfg.maxRequestBytes(), quota);
    // etcd: the leader checks lease expiry every 500 ms; unsynced watchers catch up every 100 ms.
    clock.scheduleAtFixedRate(new LeaseExpiry(loop[0], applier, proposer), 500, 500, TimeUnit.MILLISECONDS);
    clock.scheduleAtFixedRate(() -> loop[0].onLoop(applier::syncWatchers), 100, 100, TimeUnit.MILLISECONDS);
    CompactionPolicy compaction = CompactionPolicy.of(cfg.autoCompactionMode(),
        cfg.autoCompactionRetention(), REVISION_COMPACTION_CHECK);
    if (compaction != null) {
      ScheduledExecutorService compactor = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "auto-compactor");
        t.setDaemon(true);
        return t;
      });
      started.add(compactor::shutdownNow);
      AutoCompactor auto = new AutoCompactor(compaction, loop[0], applier, proposer,
          Clock.systemUTC(), REQUEST_TIMEOUT);
      compactor.scheduleAtFixedRate(auto, 0, auto.checkInterval().toNanos(), TimeUnit.NANOSECONDS);
    }
    clock.scheduleAtFixedRate(new AttributesPublisher(proposer, id, cfg.name(),
        cfg.advertiseClientUrls().stream().map(URI::toString).toList(), REQUEST_TIMEOUT),
        0, PUBLISH_RETRY_MILLIS, TimeUnit.MILLISECONDS);
    MemberContext context = new MemberContext(loop[0], applier, proposer, REQUEST_TIMEOUT,
        Clock.systemUTC(), grpc::connected, leases, leaderRequests);
    GrpcMetrics grpcMetrics = new GrpcMetrics(registry, "extensive".equals(cfg.metrics()));
    EtcdHttp http = new EtcdHttp(registry, context::health);
    for (URI url : cfg.listenClientUrls()) {
      started.add(ApiServer.start(address(url), context, grpcMetrics,
          "https".equals(url.getScheme()) ? TlsContexts.clientPortServer(cfg.clientTls()) : null,
          cfg.maxRequestBytes(), http));
    }
    for (URI url : cfg.listenMetricsUrls()) {
      started.add(HttpEndpoints.start(address(url),
          "https".equals(url.getScheme()) ? TlsContexts.httpServer(cfg.clientTls()) : null, http));
    }
    log.info("member {} ({}) started; peers {}", cfg.name(), Long.toHexString(id),
        identity.peers().entrySet().stream()
            .map(p -> Long.toHexString(p.getKey()) + "=" + p.getValue()).sorted().toList());
  }

  /**
   * Keeps the transport's peers those of the applied membership, and notices this member's
   * removal (raft loop thread). Until the log's first configuration change is applied the
   * membership is empty, and the peers found at start are kept.
   */
  private void followMembership(long self, MemberSet members, GrpcTransport grpc) {
    if (members.isRemoved(self)) {
      noticeRemoval("applied its own removal");
      return;
    }
    removedPeers.addAll(members.removed());
    if (members.members().isEmpty()) {
      return;
    }
    Map<Long, URI> peers = new HashMap<>();
    for (Member m : members.members()) {
      if (m.id() != self && !m.peerUrls().isEmpty()) {
        peers.put(m.id(), URI.create(m.peerUrls().get(0)));
      }
    }
    grpc.updatePeers(peers);
  }

  /**
   * Completes, on the raft loop thread, when this member applied its own removal from the cluster;
   * the caller then stops it, as etcd stops a removed member.
   */
  CompletableFuture<Void> removed() {
    return removed;
  }

  private void noticeRemoval(String how) {
    if (removed.complete(null)) {
      log.error("the member has been permanently removed from the cluster ({})", how);
    }
  }

  private static InetSocketAddress address(URI url) {
    return new InetSocketAddress(url.getHost(), url.getPort());
  }

  @Override
  public void close() {
    for (int i = started.size() - 1; i >= 0; i--) {
      try {
        started.get(i).close();
      } catch (Exception e) {
        log.warn("stopping: {}", e.toString());
      }
    }
    started.clear();
  }
}
