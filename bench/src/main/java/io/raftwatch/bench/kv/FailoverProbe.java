package io.raftwatch.bench.kv;

import com.google.protobuf.ByteString;
import io.etcd.jetcd.api.KVGrpc;
import io.etcd.jetcd.api.MaintenanceGrpc;
import io.etcd.jetcd.api.PutRequest;
import io.etcd.jetcd.api.PutResponse;
import com.google.common.util.concurrent.ListenableFuture;
import io.etcd.jetcd.api.StatusRequest;
import io.etcd.jetcd.api.StatusResponse;
import io.grpc.StatusRuntimeException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * One leader failover, timed the same way against etcd and raftkv by {@code bin/bench-kv
 * --failover N}: finds the leader (Maintenance Status), keeps a few writers busy on every member,
 * kills the leader's process with SIGKILL, then starts a put to a survivor every 10 ms, without
 * client retries, until one is acknowledged. Prints {@code
 * leader=<index in --endpoints>} and {@code failover_ms=<kill to first acknowledged put>}.
 *
 * <p>Usage: {@code FailoverProbe --endpoints https://127.0.0.1:2379,... --pids 101,102,103
 * --cacert ca.crt --cert c.crt --key c.key [--writers 4] [--load-ms 2000] [--probe-ms 1000]}
 */
public final class FailoverProbe {
  private static final long PROBE_EVERY_MILLIS = 10;
  private volatile boolean writing = true;

  public static void main(String[] args) throws Exception {
    Map<String, String> opts = KvEndpoints.options(args, "pids");
    long[] pids = Arrays.stream(opts.get("pids").split(",")).mapToLong(Long::parseLong).toArray();
    int writers = Integer.parseInt(opts.getOrDefault("writers", "4"));
    long loadMillis = Long.parseLong(opts.getOrDefault("load-ms", "2000"));
    long probeMillis = Long.parseLong(opts.getOrDefault("probe-ms", "1000"));
    try (KvEndpoints endpoints = KvEndpoints.connect(opts)) {
      List<KVGrpc.KVBlockingStub> kv =
          endpoints.channels.stream().map(KVGrpc::newBlockingStub).toList();
      if (pids.length != kv.size()) {
        throw new IllegalArgumentException("--pids needs one pid per endpoint");
      }
      int leader = leader(endpoints);
      FailoverProbe probe = new FailoverProbe();
      List<Thread> load = new ArrayList<>();
      for (int w = 0; w < writers; w++) {
        KVGrpc.KVBlockingStub stub = kv.get(w % kv.size());
        String key = "/failover/writer-" + w;
        Thread t = new Thread(() -> probe.write(stub, key), "writer-" + w);
        t.setDaemon(true);
        t.start();
        load.add(t);
      }
      Thread.sleep(loadMillis);
      List<KVGrpc.KVBlockingStub> survivors = new ArrayList<>(kv);
      survivors.remove(leader);
      ProcessHandle process = ProcessHandle.of(pids[leader])
          .orElseThrow(() -> new IllegalStateException("no process " + pids[leader]));
      long killedAt = System.nanoTime();
      process.destroyForcibly();
      long servedAt = firstAcknowledged(survivors, probeMillis);
      probe.writing = false;
      for (Thread t : load) {
        t.join();
      }
      System.out.println("leader=" + leader);
      System.out.println("failover_ms=" + TimeUnit.NANOSECONDS.toMillis(servedAt - killedAt));
    }
  }

  /** The index of the endpoint whose member every answering member names as leader. */
  private static int leader(KvEndpoints endpoints) {
    long[] ids = new long[endpoints.channels.size()];
    long leader = 0;
    for (int i = 0; i < ids.length; i++) {
      StatusResponse s = MaintenanceGrpc.newBlockingStub(endpoints.channels.get(i))
          .withDeadlineAfter(5, TimeUnit.SECONDS).status(StatusRequest.getDefaultInstance());
      ids[i] = s.getHeader().getMemberId();
      leader = s.getLeader();
    }
    for (int i = 0; i < ids.length; i++) {
      if (ids[i] == leader) {
        return i;
      }
    }
    throw new IllegalStateException("no endpoint is the leader " + Long.toHexString(leader));
  }

  /**
   * Starts a put every {@code PROBE_EVERY_MILLIS} to the survivors in turn, each with its own
   * deadline, and returns when the first is acknowledged: resolution is the spacing, whether a
   * member fails a put at once while there is no leader (raftkv) or holds it until one is elected
   * or the deadline passes (etcd).
   */
  private static long firstAcknowledged(List<KVGrpc.KVBlockingStub> survivors, long probeMillis)
      throws InterruptedException {
    PutRequest put = PutRequest.newBuilder().setKey(utf8("/failover/probe"))
        .setValue(utf8("x")).build();
    List<KVGrpc.KVFutureStub> stubs = survivors.stream()
        .map(s -> KVGrpc.newFutureStub(s.getChannel())).toList();
    CompletableFuture<Long> acknowledged = new CompletableFuture<>();
    for (int i = 0; !acknowledged.isDone(); i++) {
      ListenableFuture<PutResponse> call = stubs.get(i % stubs.size())
          .withDeadlineAfter(probeMillis, TimeUnit.MILLISECONDS).put(put);
      call.addListener(() -> {
        if (!call.isCancelled() && succeeded(call)) {
          acknowledged.complete(System.nanoTime());
        }
      }, Runnable::run);
      Thread.sleep(PROBE_EVERY_MILLIS);
    }
    return acknowledged.join();
  }

  private static boolean succeeded(ListenableFuture<PutResponse> call) {
    try {
      call.get();
      return true;
    } catch (ExecutionException | InterruptedException e) {
      return false;
    }
  }

  private void write(KVGrpc.KVBlockingStub stub, String key) {
    PutRequest put = PutRequest.newBuilder().setKey(utf8(key)).setValue(utf8("v")).build();
    while (writing) {
      try {
        stub.withDeadlineAfter(1, TimeUnit.SECONDS).put(put);
      } catch (StatusRuntimeException e) {
        // expected while there is no leader
      }
    }
  }

  private static ByteString utf8(String s) {
    return ByteString.copyFrom(s, StandardCharsets.UTF_8);
  }
}
