package io.raftwatch.raftkv.process;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.KeyValue;
import io.etcd.jetcd.api.KVGrpc;
import io.etcd.jetcd.api.PutRequest;
import io.etcd.jetcd.options.GetOption;
import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Failover under load: {@value #CLIENTS} jetcd clients write distinct keys to a three-process
 * cluster over mutual TLS while the leader is killed with SIGKILL. A new leader must serve writes;
 * the killed member, restarted on its data dir, catches up; and every write a client saw
 * acknowledged is there when read back linearizably. Prints the measured times, which the issue's
 * "within twice the election timeout" is judged by: when the survivors serve a write again (a
 * probe without client retries), when jetcd's first put after the kill was acknowledged, and how
 * long the restarted member took to catch up.
 */
class FailoverUnderLoadTest {
  private static final int ELECTION_MILLIS = 1000;
  private static final int CLIENTS = 4;
  private static final long PUT_TIMEOUT_MILLIS = 3000;

  @TempDir Path dir;
  private RaftkvProcesses cluster;
  private final List<Client> clients = new ArrayList<>();
  private final Map<String, String> acked = new ConcurrentHashMap<>();
  private final AtomicLong firstAckAfterKill = new AtomicLong();
  private volatile long killedAt;
  private volatile boolean writing = true;

  @AfterEach
  void stop() {
    writing = false;
    clients.forEach(Client::close);
    if (cluster != null) {
      cluster.close();
    }
  }

  @Test
  void newLeaderServesWritesAndNoAcknowledgedWriteIsLost() throws Exception {
    cluster = RaftkvProcesses.start(dir, 3, ELECTION_MILLIS);
    int leader = cluster.awaitLeader(-1);
    List<Thread> writers = new ArrayList<>();
    for (int c = 0; c < CLIENTS; c++) {
      Client client = cluster.jetcd(0, 1, 2);
      clients.add(client);
      int id = c;
      Thread t = new Thread(() -> write(client, id), "writer-" + c);
      t.start();
      writers.add(t);
    }
    cluster.await("writes acknowledged before the kill", () -> acked.size() >= 100);
    List<ManagedChannel> survivors = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      if (i != leader) {
        survivors.add(cluster.grpc(i));
      }
    }

    long servedMillis;
    try {
      probe(survivors, "probe/warm-up", 5000);
      killedAt = cluster.kill(leader);
      servedMillis = millisSinceKill(probeUntilServed(survivors));
    } finally {
      survivors.forEach(ManagedChannel::shutdownNow);
    }
    int next = cluster.awaitLeader(leader);
    cluster.await("a jetcd write acknowledged after the kill", () -> firstAckAfterKill.get() != 0);
    long jetcdMillis = millisSinceKill(firstAckAfterKill.get());
    int ackedAtFailover = acked.size();

    cluster.start(leader);
    long restartedAt = System.nanoTime();
    cluster.await("writes after the restart", () -> acked.size() >= ackedAtFailover + 100);
    writing = false;
    for (Thread t : writers) {
      t.join();
    }
    try (Client restarted = cluster.jetcd(leader)) {
      cluster.await("the restarted member holds every acknowledged write", () -> {
        try {
          return restarted.getKVClient().get(bytes("load/"), GetOption.builder().isPrefix(true)
              .withCountOnly(true).withSerializable(true).build())
              .get(5, TimeUnit.SECONDS).getCount() >= acked.size();
        } catch (Exception e) {
          return false;
        }
      });
    }
    long caughtUpMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - restartedAt);

    Map<String, String> stored = new HashMap<>();
    for (KeyValue kv : clients.get(0).getKVClient().get(bytes("load/"),
        GetOption.builder().isPrefix(true).build()).get(30, TimeUnit.SECONDS).getKvs()) {
      stored.put(kv.getKey().toString(UTF_8), kv.getValue().toString(UTF_8));
    }
    System.out.printf("failover: %d clients, %d writes acknowledged; leader m%d killed; the "
            + "survivors served a write again %d ms after the kill (election timeout %d ms; m%d "
            + "leads), the first jetcd put issued after the kill was acknowledged at %d ms "
            + "(jetcd's retry backoff included); m%d restarted and caught up in %d ms%n",
        CLIENTS, acked.size(), leader, servedMillis, ELECTION_MILLIS, next, jetcdMillis, leader,
        caughtUpMillis);
    // How fast writes resume is printed above, not asserted: a wall-clock bound fails on a busy
    // machine without saying anything about Raft. That writes resume at all is awaited above.
    assertThat(stored).as("every acknowledged write, read back linearizably")
        .containsAllEntriesOf(acked);
  }

  /** One client's load: distinct keys, each recorded once the put is acknowledged. */
  private void write(Client client, int id) {
    for (long seq = 0; writing; seq++) {
      String key = "load/c" + id + "/" + seq;
      String value = "v" + seq;
      long issued = System.nanoTime();
      try {
        client.getKVClient().put(bytes(key), bytes(value))
            .get(PUT_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS);
      } catch (Exception e) {
        continue; // not acknowledged: it may or may not be applied, as with any etcd client
      }
      acked.put(key, value);
      long kill = killedAt;
      if (kill != 0 && issued > kill) {
        firstAckAfterKill.compareAndSet(0, System.nanoTime());
      }
    }
  }

  /**
   * When the cluster serves writes again, apart from any client library's retry backoff: a put
   * through each survivor's client URL every 20 ms, each with a 250 ms deadline and no retries,
   * until one is acknowledged. Returns {@link System#nanoTime()} of that acknowledgement.
   */
  private static long probeUntilServed(List<ManagedChannel> survivors) throws InterruptedException {
    long giveUp = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    for (int n = 0; System.nanoTime() < giveUp; n++) {
      if (probe(survivors, "probe/" + n, 250)) {
        return System.nanoTime();
      }
      Thread.sleep(20);
    }
    throw new AssertionError("no survivor served a write within 30 s of the kill");
  }

  /** One put of {@code key} through each channel in turn; whether one was acknowledged. */
  private static boolean probe(List<ManagedChannel> channels, String key, long deadlineMillis) {
    for (ManagedChannel channel : channels) {
      try {
        KVGrpc.newBlockingStub(channel).withDeadlineAfter(deadlineMillis, TimeUnit.MILLISECONDS)
            .put(PutRequest.newBuilder().setKey(ByteString.copyFromUtf8(key))
                .setValue(ByteString.copyFromUtf8("x")).build());
        return true;
      } catch (StatusRuntimeException e) {
        // not served by this member now: try the next
      }
    }
    return false;
  }

  private long millisSinceKill(long nanos) {
    return TimeUnit.NANOSECONDS.toMillis(nanos - killedAt);
  }

  private static ByteSequence bytes(String s) {
    return ByteSequence.from(s, UTF_8);
  }
}
