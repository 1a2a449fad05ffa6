package io.raftwatch.collector.maintenance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import io.etcd.jetcd.api.DeleteRangeRequest;
import io.etcd.jetcd.api.KVGrpc;
import io.etcd.jetcd.api.PutRequest;
import io.etcd.jetcd.api.RangeRequest;
import io.grpc.Grpc;
import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import io.grpc.TlsChannelCredentials;
import io.raftwatch.collector.config.MaintenanceConfig;
import io.raftwatch.collector.config.TlsConfig;
import io.raftwatch.collector.fixture.EtcdCluster;
import io.raftwatch.collector.fixture.TestCertificates;
import io.raftwatch.collector.history.Database;
import io.raftwatch.collector.history.HistoryStore;
import io.raftwatch.collector.history.MaintenanceRun;
import io.raftwatch.collector.history.MaintenanceRun.Outcome;
import io.raftwatch.collector.scrape.ClientTls;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Compaction and defragmentation against a real 3-member etcd 3.4 over mutual TLS, through the
 * etcd v3 gRPC API, with every run recorded in a real (H2) history: the compaction really drops
 * old revisions, and the defragmentation goes followers first, leader last, one member at a time,
 * and gives the space back.
 */
class MaintenanceEtcdTest {
  private static final String CLUSTER = "prod";

  @TempDir Path dir;

  @Test
  void compactionDropsOldRevisionsAndDefragmentationGoesFollowersFirstLeaderLast() throws Exception {
    EtcdCluster.requireEtcd();
    Instant testStart = Instant.now().minusSeconds(1);
    try (EtcdCluster etcd = EtcdCluster.start(dir.resolve("etcd"), 3);
        HistoryStore history = HistoryStore.open(Database.h2(dir.resolve("data")), Clock.systemUTC())) {
      TestCertificates certs = etcd.certificates();
      ClientTls tls = ClientTls.load(Optional.of(new TlsConfig(Optional.of(certs.caFile()),
          Optional.of(certs.clientFiles().cert()), Optional.of(certs.clientFiles().key()),
          Optional.empty(), false)), Instant.now());
      List<String> calls = Collections.synchronizedList(new ArrayList<>());
      AtomicInteger running = new AtomicInteger();
      AtomicInteger maxRunning = new AtomicInteger();
      List<MemberMaintenance> members = new ArrayList<>();
      for (int i = 0; i < 3; i++) {
        members.add(new RecordingMember(new GrpcMemberMaintenance("member-" + (i + 1),
            etcd.clientUrls().get(i), tls, Duration.ofSeconds(30)), calls, running, maxRunning));
      }
      ManagedChannel channel = channel(etcd.clientUrls().get(0), tls);
      try {
        KVGrpc.KVBlockingStub kv = KVGrpc.newBlockingStub(channel);
        // About 3 MiB of values, then all deleted: history to compact, pages to free.
        byte[] value = new byte[10 * 1024];
        long firstRevision = 0;
        for (int i = 0; i < 300; i++) {
          long rev = kv.withDeadlineAfter(10, TimeUnit.SECONDS).put(PutRequest.newBuilder()
              .setKey(key("k" + i)).setValue(ByteString.copyFrom(value)).build()).getHeader().getRevision();
          if (i == 0) {
            firstRevision = rev;
          }
        }
        kv.deleteRange(DeleteRangeRequest.newBuilder().setKey(key("k")).setRangeEnd(key("l")).build());
        long oldRevision = firstRevision;
        // Before compaction the first put can still be read at its revision.
        assertThat(kv.range(RangeRequest.newBuilder().setKey(key("k0")).setRevision(oldRevision)
            .build()).getCount()).isEqualTo(1);

        MaintenanceConfig.Compact keepTen = new MaintenanceConfig.Compact(true,
            Optional.of("0 0 * * * ?"), Optional.of(10L), Optional.empty());
        MaintenanceRun compaction = new Compactor(CLUSTER, members, keepTen,
            at -> OptionalLong.empty(), Clock.systemUTC(), history::recordMaintenance, "local").run();

        assertThat(compaction.outcome()).as(compaction.detail()).isEqualTo(Outcome.SUCCEEDED);
        long current = members.get(0).status().revision();
        assertThat(calls).containsExactly("compact " + (current - 10) + " via member-1");
        assertThatThrownBy(() -> kv.range(RangeRequest.newBuilder().setKey(key("k0"))
            .setRevision(oldRevision).build()))
            .isInstanceOf(StatusRuntimeException.class)
            .hasMessageContaining("required revision has been compacted");
        // Compacting again to the same point is not an error, only nothing to do.
        MaintenanceRun again = new Compactor(CLUSTER, members, new MaintenanceConfig.Compact(true,
            Optional.empty(), Optional.of(10L), Optional.empty()),
            at -> OptionalLong.empty(), Clock.systemUTC(), history::recordMaintenance, "local").run();
        assertThat(again.outcome()).as(again.detail()).isEqualTo(Outcome.SKIPPED);
        assertThat(again.detail()).startsWith("already compacted past revision " + (current - 10));

        Map<String, MemberStatus> before = statuses(members);
        String leader = before.values().stream().filter(MemberStatus::isLeader).findFirst()
            .orElseThrow().member();
        calls.clear();

        List<MaintenanceRun> runs = new Defragmenter(CLUSTER, members, Clock.systemUTC(),
            history::recordMaintenance, "local").run(m -> true, "test");

        assertThat(runs).extracting(MaintenanceRun::outcome).containsOnly(Outcome.SUCCEEDED);
        assertThat(calls).hasSize(3);
        assertThat(calls.get(2)).isEqualTo("defragment " + leader);
        assertThat(calls.subList(0, 2)).doesNotContain("defragment " + leader);
        assertThat(maxRunning.get()).as("defragmentations at once").isEqualTo(1);
        Map<String, MemberStatus> after = statuses(members);
        for (String m : before.keySet()) {
          assertThat(after.get(m).dbSizeBytes()).as(m + " db size after defragmentation")
              .isLessThan(before.get(m).dbSizeBytes());
        }
        assertThat(runs.get(2).detail()).startsWith("test: leader, db ");
        assertThat(runs.get(0).detail()).startsWith("test: follower, db ");

        // Everything is in the history, in the order it ran (the query is newest first).
        List<MaintenanceRun> recorded = new ArrayList<>(history.maintenanceRuns(Optional.of(CLUSTER),
            testStart, Instant.now().plusSeconds(1), 10));
        Collections.reverse(recorded);
        assertThat(recorded).extracting(r -> r.action() + " " + r.member() + " " + r.outcome())
            .containsExactly("compact  SUCCEEDED", "compact  SKIPPED",
                "defragment " + runs.get(0).member() + " SUCCEEDED",
                "defragment " + runs.get(1).member() + " SUCCEEDED",
                "defragment " + leader + " SUCCEEDED");
      } finally {
        channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        members.forEach(MemberMaintenance::close);
      }
    }
  }

  @Test
  void defragmentationDoesNotStartWhileAMemberIsDown() throws Exception {
    EtcdCluster.requireEtcd();
    try (EtcdCluster etcd = EtcdCluster.start(dir.resolve("etcd"), 3)) {
      TestCertificates certs = etcd.certificates();
      ClientTls tls = ClientTls.load(Optional.of(new TlsConfig(Optional.of(certs.caFile()),
          Optional.of(certs.clientFiles().cert()), Optional.of(certs.clientFiles().key()),
          Optional.empty(), false)), Instant.now());
      List<String> calls = Collections.synchronizedList(new ArrayList<>());
      List<MemberMaintenance> members = new ArrayList<>();
      for (int i = 0; i < 3; i++) {
        members.add(new RecordingMember(new GrpcMemberMaintenance("member-" + (i + 1),
            etcd.clientUrls().get(i), tls, Duration.ofSeconds(3)), calls, new AtomicInteger(),
            new AtomicInteger()));
      }
      try {
        etcd.stop(3);
        List<MaintenanceRun> runs = new Defragmenter(CLUSTER, members, Clock.systemUTC(), r -> { },
            "local").run(m -> true, "cron");
        assertThat(runs).singleElement().satisfies(r -> {
          assertThat(r.outcome()).isEqualTo(Outcome.SKIPPED);
          assertThat(r.detail()).startsWith("cron: not started, member-3 (127.0.0.1:")
              .contains("status failed: UNAVAILABLE").endsWith("defragmenting another member could"
                  + " cost the quorum");
        });
        assertThat(calls).isEmpty();
      } finally {
        members.forEach(MemberMaintenance::close);
      }
    }
  }

  private static Map<String, MemberStatus> statuses(List<MemberMaintenance> members)
      throws MaintenanceException {
    Map<String, MemberStatus> out = new java.util.LinkedHashMap<>();
    for (MemberMaintenance m : members) {
      out.put(m.member(), m.status());
    }
    return out;
  }

  private static ManagedChannel channel(URI url, ClientTls tls) {
    return Grpc.newChannelBuilderForAddress(url.getHost(), url.getPort(),
        TlsChannelCredentials.newBuilder().trustManager(tls.trustManager())
            .keyManager(tls.keyManagers().toArray(new javax.net.ssl.KeyManager[0])).build()).build();
  }

  private static ByteString key(String k) {
    return ByteString.copyFrom(k, StandardCharsets.UTF_8);
  }
}
