package io.raftwatch.bench.kv;

import com.google.protobuf.ByteString;
import io.etcd.jetcd.api.KVGrpc;
import io.etcd.jetcd.api.PutRequest;
import io.grpc.StatusRuntimeException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A closed-loop put load over etcd's gRPC API with mutual TLS, run by {@code bin/bench-kv} against
 * etcd and raftkv alike: N clients, each on its own thread and spread round-robin over the client
 * URLs (one HTTP/2 connection per URL, as etcd's benchmark tool shares connections), put values of a
 * fixed size to keys of their own until a fixed number of operations is done. A warm-up of the same
 * shape runs first and is not measured. Prints {@code key=value} lines: throughput_per_s, p50_ms,
 * p99_ms, max_ms, errors, and with {@code --member-pids} the members' CPU time (user + system,
 * from {@code /proc}) over the measured puts alone: cpu_ms_per_1000.
 *
 * <p>Usage: {@code PutLoad --endpoints https://127.0.0.1:2379,... --cacert ca.crt --cert c.crt
 * --key c.key [--clients 50] [--ops 20000] [--warmup 2000] [--value-size 256]
 * [--member-pids 101,102,103]}
 */
public final class PutLoad {
  /** Linux reports CPU times in USER_HZ ticks, 100 per second on every mainstream build. */
  private static final long MS_PER_TICK = 10;

  private final List<KVGrpc.KVBlockingStub> stubs;
  private final int clients;
  private final ByteString value;
  private final AtomicLong errors = new AtomicLong();

  private PutLoad(List<KVGrpc.KVBlockingStub> stubs, int clients, int valueSize) {
    this.stubs = stubs;
    this.clients = clients;
    byte[] v = new byte[valueSize];
    new Random(42).nextBytes(v);
    this.value = ByteString.copyFrom(v);
  }

  public static void main(String[] args) throws Exception {
    Map<String, String> opts = KvEndpoints.options(args);
    try (KvEndpoints endpoints = KvEndpoints.connect(opts)) {
      List<KVGrpc.KVBlockingStub> stubs =
          endpoints.channels.stream().map(KVGrpc::newBlockingStub).toList();
      int clients = Integer.parseInt(opts.getOrDefault("clients", "50"));
      int ops = Integer.parseInt(opts.getOrDefault("ops", "20000"));
      int warmup = Integer.parseInt(opts.getOrDefault("warmup", "2000"));
      PutLoad load =
          new PutLoad(stubs, clients, Integer.parseInt(opts.getOrDefault("value-size", "256")));
      List<Long> memberPids = opts.containsKey("member-pids")
          ? Arrays.stream(opts.get("member-pids").split(",")).map(Long::valueOf).toList()
          : List.of();
      load.run(warmup);
      long cpuBefore = cpuTicks(memberPids);
      long[] latencies = load.run(ops);
      long cpuTicks = cpuTicks(memberPids) - cpuBefore;
      long elapsed = latencies[latencies.length - 1];
      long[] sorted = Arrays.copyOf(latencies, latencies.length - 1);
      Arrays.sort(sorted);
      System.out.printf("throughput_per_s=%.1f%n", ops / (elapsed / 1e9));
      System.out.printf("p50_ms=%.3f%n", percentile(sorted, 0.50) / 1e6);
      System.out.printf("p99_ms=%.3f%n", percentile(sorted, 0.99) / 1e6);
      System.out.printf("max_ms=%.3f%n", sorted[sorted.length - 1] / 1e6);
      System.out.printf("errors=%d%n", load.errors.get());
      if (!memberPids.isEmpty()) {
        System.out.printf("cpu_ms_per_1000=%d%n", cpuTicks * MS_PER_TICK * 1000 / ops);
      }
    }
  }

  /** Runs ops puts; returns each one's latency in ns, then the elapsed time as the last element. */
  private long[] run(int ops) throws InterruptedException {
    long[] latencies = new long[ops + 1];
    AtomicInteger next = new AtomicInteger();
    CountDownLatch done = new CountDownLatch(clients);
    long start = System.nanoTime();
    for (int c = 0; c < clients; c++) {
      KVGrpc.KVBlockingStub stub = stubs.get(c % stubs.size());
      String prefix = "/bench-kv/" + c + "/";
      Thread t = new Thread(() -> {
        try {
          int i;
          while ((i = next.getAndIncrement()) < ops) {
            PutRequest put = PutRequest.newBuilder()
                .setKey(ByteString.copyFrom(prefix + (i % 1000), StandardCharsets.UTF_8))
                .setValue(value)
                .build();
            long t0 = System.nanoTime();
            try {
              stub.withDeadlineAfter(10, TimeUnit.SECONDS).put(put);
            } catch (StatusRuntimeException e) {
              errors.incrementAndGet();
            }
            latencies[i] = System.nanoTime() - t0;
          }
        } finally {
          done.countDown();
        }
      }, "put-client-" + c);
      t.start();
    }
    done.await();
    latencies[ops] = System.nanoTime() - start;
    return latencies;
  }

  /** User + system time of the processes, in clock ticks (fields 14 and 15 of /proc/PID/stat). */
  private static long cpuTicks(List<Long> pids) throws IOException {
    long ticks = 0;
    for (long pid : pids) {
      String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
      // The command name, field 2, may hold spaces: count fields after its closing parenthesis.
      String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      ticks += Long.parseLong(f[11]) + Long.parseLong(f[12]);
    }
    return ticks;
  }

  private static long percentile(long[] sorted, double q) {
    return sorted[(int) Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)];
  }
}
