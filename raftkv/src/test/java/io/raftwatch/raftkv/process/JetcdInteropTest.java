package io.raftwatch.raftkv.process;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.KV;
import io.etcd.jetcd.KeyValue;
import io.etcd.jetcd.cluster.Member;
import io.etcd.jetcd.kv.GetResponse;
import io.etcd.jetcd.kv.TxnResponse;
import io.etcd.jetcd.lease.LeaseKeepAliveResponse;
import io.etcd.jetcd.op.Cmp;
import io.etcd.jetcd.op.CmpTarget;
import io.etcd.jetcd.op.Op;
import io.etcd.jetcd.options.DeleteOption;
import io.etcd.jetcd.options.GetOption;
import io.etcd.jetcd.options.LeaseOption;
import io.etcd.jetcd.options.PutOption;
import io.etcd.jetcd.options.WatchOption;
import io.etcd.jetcd.support.CloseableClient;
import io.etcd.jetcd.watch.WatchEvent;
import io.etcd.jetcd.api.HashRequest;
import io.etcd.jetcd.api.MaintenanceGrpc;
import io.grpc.ManagedChannel;
import io.grpc.stub.StreamObserver;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * jetcd-core, unchanged, against a three-process raftkv cluster over mutual TLS: put, get and
 * delete with their options, a transaction, watches (live and from an old revision), a lease kept
 * alive past its TTL then revoked, member list, etcd's "not leader" for MoveLeader on a follower,
 * and (over plain gRPC, which jetcd lacks) the Maintenance Hash, equal on every member. One cluster for all cases; each case uses its own keys.
 */
class JetcdInteropTest {
  private static final long TIMEOUT_SECONDS = 10;

  @TempDir static Path dir;
  private static RaftkvProcesses cluster;
  private static int leader;
  private Client client;

  @BeforeEach
  void connect() throws Exception {
    if (cluster == null) {
      cluster = RaftkvProcesses.start(dir, 3, 1000);
    }
    leader = cluster.awaitLeader(-1);
    // The leader's endpoint: lease keep-alive is answered there (a follower says "not leader").
    client = cluster.jetcd(leader);
    KV kv = client.getKVClient();
    cluster.await("a first write through jetcd", () -> {
      try {
        kv.put(bytes("warm-up"), bytes("1")).get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        return true;
      } catch (Exception e) {
        return false;
      }
    });
  }

  @AfterEach
  void disconnect() {
    client.close();
  }

  @org.junit.jupiter.api.AfterAll
  static void stopCluster() {
    if (cluster != null) {
      cluster.close();
    }
  }

  @Test
  void putGetAndDeleteWithOptions() throws Exception {
    KV kv = client.getKVClient();
    long first = await(kv.put(bytes("kv/a"), bytes("1"))).getHeader().getRevision();
    await(kv.put(bytes("kv/b"), bytes("2")));
    await(kv.put(bytes("kv/c"), bytes("3")));
    var replaced = await(kv.put(bytes("kv/a"), bytes("1b"), PutOption.builder().withPrevKV().build()));
    assertThat(replaced.hasPrevKv()).isTrue();
    assertThat(string(replaced.getPrevKv().getValue())).isEqualTo("1");

    GetResponse prefix = await(kv.get(bytes("kv/"), GetOption.builder().isPrefix(true)
        .withSortField(GetOption.SortTarget.KEY).withSortOrder(GetOption.SortOrder.DESCEND)
        .withLimit(2).build()));
    assertThat(prefix.getKvs()).extracting(k -> string(k.getKey())).containsExactly("kv/c", "kv/b");
    assertThat(prefix.isMore()).isTrue();
    assertThat(prefix.getCount()).isEqualTo(3);
    GetResponse old = await(kv.get(bytes("kv/a"), GetOption.builder().withRevision(first).build()));
    assertThat(string(old.getKvs().get(0).getValue())).isEqualTo("1");
    GetResponse keysOnly = await(kv.get(bytes("kv/"), GetOption.builder().isPrefix(true)
        .withKeysOnly(true).build()));
    assertThat(keysOnly.getKvs()).allMatch(k -> k.getValue().isEmpty());
    GetResponse count = await(kv.get(bytes("kv/"), GetOption.builder().isPrefix(true)
        .withCountOnly(true).build()));
    assertThat(count.getCount()).isEqualTo(3);
    assertThat(count.getKvs()).isEmpty();
    GetResponse serializable = await(kv.get(bytes("kv/a"), GetOption.builder()
        .withSerializable(true).build()));
    assertThat(string(serializable.getKvs().get(0).getValue())).isEqualTo("1b");
    KeyValue a = serializable.getKvs().get(0);
    assertThat(a.getVersion()).isEqualTo(2);
    assertThat(a.getCreateRevision()).isEqualTo(first);

    var deleted = await(kv.delete(bytes("kv/"), DeleteOption.builder().isPrefix(true)
        .withPrevKV(true).build()));
    assertThat(deleted.getDeleted()).isEqualTo(3);
    assertThat(deleted.getPrevKvs()).extracting(k -> string(k.getKey()))
        .containsExactlyInAnyOrder("kv/a", "kv/b", "kv/c");
    assertThat(await(kv.get(bytes("kv/"), GetOption.builder().isPrefix(true).build())).getKvs())
        .isEmpty();
  }

  @Test
  void txnTakesTheBranchItsComparisonsChoose() throws Exception {
    KV kv = client.getKVClient();
    await(kv.put(bytes("txn/flag"), bytes("on")));
    TxnResponse taken = await(kv.txn()
        .If(new Cmp(bytes("txn/flag"), Cmp.Op.EQUAL, CmpTarget.value(bytes("on"))))
        .Then(Op.put(bytes("txn/result"), bytes("then"), PutOption.DEFAULT))
        .Else(Op.put(bytes("txn/result"), bytes("else"), PutOption.DEFAULT))
        .commit());
    assertThat(taken.isSucceeded()).isTrue();
    TxnResponse other = await(kv.txn()
        .If(new Cmp(bytes("txn/flag"), Cmp.Op.EQUAL, CmpTarget.version(7)))
        .Then(Op.delete(bytes("txn/result"), DeleteOption.DEFAULT))
        .Else(Op.get(bytes("txn/result"), GetOption.DEFAULT))
        .commit());
    assertThat(other.isSucceeded()).isFalse();
    assertThat(other.getGetResponses().get(0).getKvs()).extracting(k -> string(k.getValue()))
        .containsExactly("then");
  }

  @Test
  void watchesSeeLiveEventsAndReplayHistory() throws Exception {
    KV kv = client.getKVClient();
    long from = await(kv.put(bytes("watch/x"), bytes("1"))).getHeader().getRevision();
    await(kv.delete(bytes("watch/x")));
    BlockingQueue<WatchEvent> replayed = new LinkedBlockingQueue<>();
    BlockingQueue<WatchEvent> live = new LinkedBlockingQueue<>();
    try (var history = client.getWatchClient().watch(bytes("watch/"),
            WatchOption.builder().isPrefix(true).withRevision(from).build(),
            r -> replayed.addAll(r.getEvents()));
        var now = client.getWatchClient().watch(bytes("watch/"),
            WatchOption.builder().isPrefix(true).withPrevKV(true).build(),
            r -> live.addAll(r.getEvents()))) {
      WatchEvent put = replayed.poll(TIMEOUT_SECONDS, TimeUnit.SECONDS);
      WatchEvent delete = replayed.poll(TIMEOUT_SECONDS, TimeUnit.SECONDS);
      assertThat(put.getEventType()).isEqualTo(WatchEvent.EventType.PUT);
      assertThat(put.getKeyValue().getModRevision()).isEqualTo(from);
      assertThat(delete.getEventType()).isEqualTo(WatchEvent.EventType.DELETE);
      // A watch created without a revision starts after its creation: retry the write until seen.
      WatchEvent seen = null;
      for (int i = 0; seen == null && i < 20; i++) {
        await(kv.put(bytes("watch/y"), bytes("v" + i)));
        seen = live.poll(500, TimeUnit.MILLISECONDS);
      }
      assertThat(seen).isNotNull();
      assertThat(string(seen.getKeyValue().getKey())).isEqualTo("watch/y");
    }
  }

  @Test
  void leaseKeptAlivePastItsTtlHoldsItsKeyUntilRevoked() throws Exception {
    long lease = await(client.getLeaseClient().grant(2)).getID();
    await(client.getKVClient().put(bytes("lease/k"), bytes("v"),
        PutOption.builder().withLeaseId(lease).build()));
    BlockingQueue<LeaseKeepAliveResponse> answers = new LinkedBlockingQueue<>();
    try (CloseableClient keepAlive = client.getLeaseClient().keepAlive(lease,
        new StreamObserver<>() {
          @Override
          public void onNext(LeaseKeepAliveResponse r) {
            answers.add(r);
          }

          @Override
          public void onError(Throwable t) {}

          @Override
          public void onCompleted() {}
        })) {
      assertThat(answers.poll(TIMEOUT_SECONDS, TimeUnit.SECONDS).getTTL()).isEqualTo(2);
      // Past twice the TTL the key is still there, because the lease is kept alive.
      Thread.sleep(4500);
      assertThat(await(client.getKVClient().get(bytes("lease/k"))).getKvs()).hasSize(1);
      var ttl = await(client.getLeaseClient().timeToLive(lease, LeaseOption.builder()
          .withAttachedKeys().build()));
      assertThat(ttl.getGrantedTTL()).isEqualTo(2);
      assertThat(ttl.getKeys()).extracting(ByteSequence::toString).containsExactly("lease/k");
    }
    await(client.getLeaseClient().revoke(lease));
    assertThat(await(client.getKVClient().get(bytes("lease/k"))).getKvs()).isEmpty();
  }

  @Test
  void memberListNamesEveryMemberWithItsUrls() throws Exception {
    List<Member> members = await(client.getClusterClient().listMember()).getMembers();
    assertThat(members).hasSize(3);
    for (int i = 0; i < 3; i++) {
      String name = "m" + i;
      Member m = members.stream().filter(x -> x.getName().equals(name)).findFirst().orElseThrow();
      assertThat(m.getPeerURIs()).extracting(Object::toString).containsExactly(cluster.peerUrl(i));
      assertThat(m.getClientURIs()).extracting(Object::toString)
          .containsExactly(cluster.clientUrl(i));
      assertThat(m.isLearner()).isFalse();
    }
  }

  @Test
  void moveLeaderOnAFollowerIsRefusedAsInEtcd() throws Exception {
    int follower = (leader + 1) % 3;
    long target = await(client.getClusterClient().listMember()).getMembers().stream()
        .filter(m -> m.getName().equals("m" + follower)).findFirst().orElseThrow().getId();
    try (Client onFollower = cluster.jetcd(follower)) {
      assertThatThrownBy(() -> await(onFollower.getMaintenanceClient().moveLeader(target)))
          .hasMessageContaining("etcdserver: not leader");
    }
  }

  @Test
  void maintenanceHashIsTheSameOnEveryMemberOnceCaughtUp() throws Exception {
    await(client.getKVClient().put(bytes("hash/k"), bytes("v")));
    List<ManagedChannel> channels = new ArrayList<>();
    try {
      for (int i = 0; i < 3; i++) {
        channels.add(cluster.grpc(i));
      }
      Set<Integer> hashes = new HashSet<>();
      cluster.await("one backend hash on all members", () -> {
        hashes.clear();
        for (ManagedChannel c : channels) {
          hashes.add(MaintenanceGrpc.newBlockingStub(c).withDeadlineAfter(5, TimeUnit.SECONDS)
              .hash(HashRequest.getDefaultInstance()).getHash());
        }
        return hashes.size() == 1;
      });
      assertThat(hashes).doesNotContain(0);
    } finally {
      channels.forEach(ManagedChannel::shutdownNow);
    }
  }

  private static <T> T await(java.util.concurrent.CompletableFuture<T> f) throws Exception {
    try {
      return f.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      throw new AssertionError(e.getCause().getMessage(), e.getCause());
    }
  }

  private static ByteSequence bytes(String s) {
    return ByteSequence.from(s, UTF_8);
  }

  private static String string(ByteSequence b) {
    return b.toString(UTF_8);
  }
}
