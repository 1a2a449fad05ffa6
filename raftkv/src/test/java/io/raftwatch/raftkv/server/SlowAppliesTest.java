package io.raftwatch.raftkv.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.google.protobuf.ByteString;
import io.etcd.jetcd.api.CompactionRequest;
import io.etcd.jetcd.api.PutRequest;
import io.prometheus.client.CollectorRegistry;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class SlowAppliesTest {
  private final CollectorRegistry registry = new CollectorRegistry();
  private final AtomicLong now = new AtomicLong();
  private final SlowApplies slow =
      new SlowApplies(now::get, new ServerMetrics(registry, 1));

  private double slowTotal() {
    return registry.getSampleValue("etcd_server_slow_apply_total");
  }

  @Test
  void countsOnlyAppliesOverEtcdsHundredMilliseconds() {
    PutRequest put = put("k", "v");
    long start = slow.start();
    now.addAndGet(100_000_000); // exactly the limit: not slow, as in etcd (took > expected)
    slow.finished(start, put);
    assertEquals(0, slowTotal());

    start = slow.start();
    now.addAndGet(100_000_001);
    slow.finished(start, put);
    assertEquals(1, slowTotal());
  }

  @Test
  void describesRequestsWithKeysButNeverValues() {
    String secret = "s3cr3t-token";
    String described = SlowApplies.describe(put("/registry/secrets/\u0001a", secret));
    assertEquals("put:<key:\"/registry/secrets/\\001a\" value_size:12 >", described);
    assertFalse(described.contains(secret));
    assertEquals("compaction",
        SlowApplies.describe(CompactionRequest.newBuilder().setRevision(5).build()));
  }

  private static PutRequest put(String key, String value) {
    return PutRequest.newBuilder()
        .setKey(ByteString.copyFrom(key, StandardCharsets.UTF_8))
        .setValue(ByteString.copyFrom(value, StandardCharsets.UTF_8))
        .build();
  }
}
