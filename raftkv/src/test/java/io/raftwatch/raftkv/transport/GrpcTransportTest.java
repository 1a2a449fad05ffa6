package io.raftwatch.raftkv.transport;

import static org.assertj.core.api.Assertions.assertThat;

import io.prometheus.client.CollectorRegistry;
import io.raftwatch.raftkv.config.OpensslPki;
import io.raftwatch.raftkv.config.TlsContexts;
import io.raftwatch.raftkv.config.TlsFiles;
import io.raftwatch.raftkv.raft.Entry;
import io.raftwatch.raftkv.raft.EntryType;
import io.raftwatch.raftkv.raft.Message;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Real gRPC transports on loopback over mutual TLS with certificates made by openssl. */
class GrpcTransportTest {
  private static final long A = 0x8e9e05c52164694dL;
  private static final long B = 0x501c9a3f400d445aL;
  private static final long C = 0x7cc1d3ef40ea13b4L;

  @TempDir Path dir;
  private final List<AutoCloseable> closeables = new ArrayList<>();

  @AfterEach
  void closeAll() throws Exception {
    for (int i = closeables.size() - 1; i >= 0; i--) {
      closeables.get(i).close();
    }
  }

  @Test
  void threeMembersExchangeMessagesAndMetricsMove() throws Exception {
    OpensslPki pki = OpensslPki.create(dir, "ca");
    Member a = member(A, pki, "a");
    Member b = member(B, pki, "b");
    Member c = member(C, pki, "c");
    Member[] all = {a, b, c};
    for (Member m : all) {
      m.connect(all, tls(pki, m.name), TransportOptions.defaults());
    }
    Random random = new Random(1);
    for (Member from : all) {
      for (Member to : all) {
        if (from == to) {
          continue;
        }
        List<Message> batch = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
          batch.add(new Message.Heartbeat(from.id, to.id, i, random.nextInt(100), new byte[] {1}));
        }
        batch.add(RandomMessages.append(random, 3));
        batch.set(batch.size() - 1, withEnds((Message.AppendEntries) batch.get(20), from, to));
        from.transport.send(batch);
        for (Message expected : batch) {
          Message got = to.inbox.poll(20, TimeUnit.SECONDS);
          assertThat(got).isNotNull();
          assertThat(RandomMessages.sameMessage(got, expected)).as("%s", got).isTrue();
        }
      }
    }
    double sent =
        a.registry.getSampleValue(
            "etcd_network_peer_sent_bytes_total",
            new String[] {"To"},
            new String[] {"501c9a3f400d445a"});
    double received =
        b.registry.getSampleValue(
            "etcd_network_peer_received_bytes_total",
            new String[] {"From"},
            new String[] {"8e9e05c52164694d"});
    assertThat(sent).isGreaterThan(20 * 5);
    assertThat(received).isEqualTo(sent);
    assertThat(
            a.registry.getSampleValue(
                "etcd_network_active_peers",
                new String[] {"Local", "Remote"},
                new String[] {"8e9e05c52164694d", "7cc1d3ef40ea13b4"}))
        .isEqualTo(1.0);
    assertThat(
            a.registry.getSampleValue(
                "etcd_network_peer_round_trip_time_seconds_count",
                new String[] {"To"},
                new String[] {"7cc1d3ef40ea13b4"}))
        .isGreaterThanOrEqualTo(1.0);
    assertThat(
            a.registry.getSampleValue(
                "etcd_network_peer_round_trip_time_seconds_bucket",
                new String[] {"To", "le"},
                new String[] {"7cc1d3ef40ea13b4", "3.2768"}))
        .isGreaterThanOrEqualTo(1.0);
    assertThat(
            a.registry.getSampleValue(
                "etcd_network_peer_sent_failures_total",
                new String[] {"To"},
                new String[] {"7cc1d3ef40ea13b4"}))
        .isNull();
    assertThat(a.feedback).isEmpty();
  }

  @Test
  void lostPeerIsReportedDisconnectedAndReconnectedWhenBack() throws Exception {
    OpensslPki pki = OpensslPki.create(dir, "ca");
    Member a = member(A, pki, "a");
    Member b = member(B, pki, "b");
    TransportOptions fast =
        new TransportOptions(
            64,
            Duration.ofMillis(50),
            Duration.ofSeconds(2),
            Duration.ofMillis(10),
            Duration.ofMillis(200),
            Duration.ofMinutes(1),
            16 << 20);
    a.connect(new Member[] {a, b}, tls(pki, "a"), fast);
    a.transport.send(List.of(new Message.TimeoutNow(A, B, 1)));
    assertThat(b.inbox.poll(20, TimeUnit.SECONDS)).isEqualTo(new Message.TimeoutNow(A, B, 1));
    String[] labels = {"Local", "Remote"};
    String[] values = {"8e9e05c52164694d", "501c9a3f400d445a"};
    assertThat(a.registry.getSampleValue("etcd_network_active_peers", labels, values))
        .isEqualTo(1.0);

    int port = b.server.port();
    b.server.close();
    assertThat(a.feedback.poll(20, TimeUnit.SECONDS)).isEqualTo("unreachable " + B);
    assertThat(a.registry.getSampleValue("etcd_network_active_peers", labels, values))
        .isEqualTo(0.0);
    assertThat(a.registry.getSampleValue("etcd_network_disconnected_peers_total", labels, values))
        .isEqualTo(1.0);

    b.server =
        PeerServer.start(
            new InetSocketAddress("127.0.0.1", port),
            TlsContexts.grpcServer(tls(pki, "b")),
            new PeerService(b.inbox::add, b.metrics),
            fast);
    closeables.add(b.server);
    Message again = new Message.TimeoutNow(A, B, 2);
    Message got = null;
    for (int i = 0; i < 200 && got == null; i++) {
      a.transport.send(List.of(again)); // dropped while A backs off; raft retries the same way
      got = b.inbox.poll(100, TimeUnit.MILLISECONDS);
    }
    assertThat(got).isEqualTo(again);
    assertThat(a.registry.getSampleValue("etcd_network_active_peers", labels, values))
        .isEqualTo(1.0);
    assertThat(
            a.registry.getSampleValue(
                "etcd_network_peer_round_trip_time_seconds_count",
                new String[] {"To"},
                new String[] {"501c9a3f400d445a"}))
        .isGreaterThanOrEqualTo(2.0);
  }

  @Test
  void multiMegabyteSnapshotIsDeliveredAndAcknowledged() throws Exception {
    OpensslPki pki = OpensslPki.create(dir, "ca");
    Member a = member(A, pki, "a");
    Member b = member(B, pki, "b");
    Member[] all = {a, b};
    for (Member m : all) {
      m.connect(all, tls(pki, m.name), TransportOptions.defaults());
    }
    var snapshot = RandomMessages.snapshot(new Random(3), 5 * 1024 * 1024 + 17);
    Message.InstallSnapshot m = new Message.InstallSnapshot(A, B, 7, snapshot);
    a.transport.send(List.of(m));
    Message got = b.inbox.poll(60, TimeUnit.SECONDS);
    assertThat(got).isInstanceOf(Message.InstallSnapshot.class);
    assertThat(((Message.InstallSnapshot) got).snapshot()).isEqualTo(snapshot);
    assertThat(a.feedback.poll(30, TimeUnit.SECONDS)).isEqualTo("snapshot " + B + " ok");
  }

  @Test
  void peerWithCertificateFromAnotherCaIsRefused() throws Exception {
    OpensslPki pki = OpensslPki.create(dir.resolve("good"), "ca");
    OpensslPki rogueCa = OpensslPki.create(dir.resolve("rogue"), "rogue-ca");
    Member a = member(A, pki, "a");
    Member rogue = member(C, rogueCa, "rogue");
    Member[] all = {a, rogue};
    a.connect(all, tls(pki, "a"), TransportOptions.defaults());
    // The rogue trusts the real CA (so it accepts A's server certificate) but presents its own.
    Path[] rogueCert = rogueCa.issue("rogue-client");
    rogue.connect(
        all,
        new TlsFiles("peer-", rogueCert[0], rogueCert[1], pki.caCert(), true),
        TransportOptions.defaults());

    rogue.transport.send(List.of(new Message.TimeoutNow(C, A, 5)));
    assertThat(rogue.feedback.poll(30, TimeUnit.SECONDS)).isEqualTo("unreachable " + A);
    assertThat(
            rogue.registry.getSampleValue(
                "etcd_network_peer_sent_failures_total",
                new String[] {"To"},
                new String[] {"8e9e05c52164694d"}))
        .isGreaterThanOrEqualTo(1.0);
    // And A, trusting only its CA, refuses the rogue's server certificate too.
    a.transport.send(List.of(new Message.TimeoutNow(A, C, 5)));
    assertThat(a.feedback.poll(30, TimeUnit.SECONDS)).isEqualTo("unreachable " + C);
    assertThat(a.inbox).isEmpty();
    assertThat(rogue.inbox).isEmpty();
  }

  @Test
  void messagesArriveInOrderWhenFlowControlHoldsThemBack() throws Exception {
    OpensslPki pki = OpensslPki.create(dir, "ca");
    Member a = member(A, pki, "a");
    Member b = member(B, pki, "b");
    Member[] all = {a, b};
    a.connect(all, tls(pki, "a"), TransportOptions.defaults().withQueueCapacity(10_000));
    b.connect(all, tls(pki, "b"), TransportOptions.defaults());
    // 24 MiB in 3000 appends, sent in small batches as a raft loop would: far more than gRPC's
    // flow-control window, so some go straight onto the stream and the rest wait for readiness.
    int count = 3000;
    byte[] data = new byte[8192];
    new Random(2).nextBytes(data);
    for (int i = 0; i < count; i += 10) {
      List<Message> batch = new ArrayList<>();
      for (int j = i; j < i + 10; j++) {
        Entry e = new Entry(1, j + 1, EntryType.NORMAL, data);
        batch.add(new Message.AppendEntries(A, B, 1, 1, j, List.of(e), j));
      }
      a.transport.send(batch);
    }
    for (int i = 0; i < count; i++) {
      Message got = b.inbox.poll(30, TimeUnit.SECONDS);
      assertThat(got).as("message %d of %d", i, count).isInstanceOf(Message.AppendEntries.class);
      assertThat(((Message.AppendEntries) got).index()).isEqualTo(i);
    }
    assertThat(a.feedback).isEmpty();
  }

  @Test
  void fullQueueDropsAndReportsWithoutBlocking() throws Exception {
    OpensslPki pki = OpensslPki.create(dir, "ca");
    Member a = member(A, pki, "a");
    // B's address is A's own port 1 (nothing listens): every connection attempt fails.
    var feedback = new RecordingFeedback();
    var registry = new CollectorRegistry();
    GrpcTransport t =
        new GrpcTransport(
            Map.of(B, URI.create("https://127.0.0.1:1")),
            TlsContexts.grpcClient(tls(pki, "a")),
            feedback,
            new PeerMetrics(registry, A),
            TransportOptions.defaults().withQueueCapacity(2));
    closeables.add(t);
    List<Message> burst = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      burst.add(new Message.Heartbeat(A, B, 1, 0, null));
    }
    t.send(burst);
    assertThat(feedback.events.poll(10, TimeUnit.SECONDS)).isEqualTo("unreachable " + B);
    assertThat(
            registry.getSampleValue(
                "etcd_network_peer_sent_failures_total",
                new String[] {"To"},
                new String[] {"501c9a3f400d445a"}))
        .isGreaterThanOrEqualTo(97.0);
    assertThat(a.inbox).isEmpty();
  }

  private static Message withEnds(Message.AppendEntries m, Member from, Member to) {
    return new Message.AppendEntries(
        from.id, to.id, m.term(), m.logTerm(), m.index(), m.entries(), m.commit());
  }

  private static TlsFiles tls(OpensslPki pki, String name) {
    return new TlsFiles(
        "peer-",
        pki.caCert().resolveSibling(name + ".crt"),
        pki.caCert().resolveSibling(name + ".key"),
        pki.caCert(),
        true);
  }

  private Member member(long id, OpensslPki pki, String name) throws Exception {
    pki.issue(name);
    Member m = new Member(id, name);
    m.server =
        PeerServer.start(
            new InetSocketAddress("127.0.0.1", 0),
            TlsContexts.grpcServer(tls(pki, name)),
            new PeerService(m.inbox::add, m.metrics),
            TransportOptions.defaults());
    closeables.add(m.server);
    return m;
  }

  /** One member: its server, its transport, and what it received and was told. */
  private final class Member {
    final long id;
    final String name;
    final CollectorRegistry registry = new CollectorRegistry();
    final PeerMetrics metrics;
    final BlockingQueue<Message> inbox = new LinkedBlockingQueue<>();
    final BlockingQueue<String> feedback;
    final RecordingFeedback recorder = new RecordingFeedback();
    PeerServer server;
    GrpcTransport transport;

    Member(long id, String name) {
      this.id = id;
      this.name = name;
      this.metrics = new PeerMetrics(registry, id);
      this.feedback = recorder.events;
    }

    void connect(Member[] all, TlsFiles tls, TransportOptions options) throws Exception {
      Map<Long, URI> peers = new java.util.HashMap<>();
      for (Member m : all) {
        if (m != this) {
          peers.put(m.id, URI.create("https://127.0.0.1:" + m.server.port()));
        }
      }
      transport = new GrpcTransport(peers, TlsContexts.grpcClient(tls), recorder, metrics, options);
      closeables.add(transport);
    }
  }

  /** Records feedback as strings, in order. */
  private static final class RecordingFeedback implements Transport.Feedback {
    final BlockingQueue<String> events = new LinkedBlockingQueue<>();

    @Override
    public void unreachable(long peer) {
      events.add("unreachable " + peer);
    }

    @Override
    public void snapshotDelivered(long peer, boolean ok) {
      events.add("snapshot " + peer + (ok ? " ok" : " failed"));
    }
  }
}
