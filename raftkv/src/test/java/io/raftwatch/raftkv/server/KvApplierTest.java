package io.raftwatch.raftkv.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import com.google.protobuf.Message;
import io.etcd.jetcd.api.CompactionRequest;
import io.etcd.jetcd.api.Compare;
import io.etcd.jetcd.api.DeleteRangeRequest;
import io.etcd.jetcd.api.DeleteRangeResponse;
import io.etcd.jetcd.api.KeyValue;
import io.etcd.jetcd.api.LeaseGrantRequest;
import io.etcd.jetcd.api.LeaseRevokeRequest;
import io.etcd.jetcd.api.PutRequest;
import io.etcd.jetcd.api.PutResponse;
import io.etcd.jetcd.api.RangeRequest;
import io.etcd.jetcd.api.RangeResponse;
import io.etcd.jetcd.api.RequestOp;
import io.etcd.jetcd.api.TxnRequest;
import io.etcd.jetcd.api.TxnResponse;
import io.prometheus.client.CollectorRegistry;
import io.raftwatch.raftkv.mvcc.CompactedException;
import io.raftwatch.raftkv.mvcc.FutureRevisionException;
import io.raftwatch.raftkv.mvcc.LeaseNotFoundException;
import io.raftwatch.raftkv.mvcc.MemoryBackend;
import io.raftwatch.raftkv.mvcc.MvccMetrics;
import io.raftwatch.raftkv.raft.ConfState;
import io.raftwatch.raftkv.raft.Snapshot;
import io.raftwatch.raftkv.raft.SnapshotMetadata;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** The etcd apply layer on the memory backend, fed log entries directly as the raft loop would. */
class KvApplierTest {
  private static final Clock CLOCK =
      Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC);

  private final KvApplier applier = newApplier(7);
  private long index;
  private long nextId;

  private static KvApplier newApplier(long memberId) {
    MvccMetrics metrics = new MvccMetrics(new CollectorRegistry());
    return new KvApplier(
        new MemoryBackend(metrics),
        metrics,
        5,
        CLOCK,
        new KvApplier.Identity(42, memberId, () -> 3),
        new SlowApplies(System::nanoTime, new ServerMetrics(new CollectorRegistry(), memberId)));
  }

  /** Applies request at the next index; returns the response, or throws the apply error. */
  @SuppressWarnings("unchecked")
  private <T extends Message> T apply(KvApplier to, Message request) throws Exception {
    long id = nextId++;
    CompletableFuture<Message> done = to.expect(id);
    to.apply(++index, ByteBuffer.wrap(new ProposedRequest(id, request).encode()));
    try {
      return (T) done.getNow(null);
    } catch (java.util.concurrent.CompletionException e) {
      throw (Exception) e.getCause();
    }
  }

  private <T extends Message> T apply(Message request) throws Exception {
    return apply(applier, request);
  }

  private static ByteString b(String s) {
    return ByteString.copyFrom(s, StandardCharsets.UTF_8);
  }

  private static PutRequest put(String k, String v) {
    return PutRequest.newBuilder().setKey(b(k)).setValue(b(v)).build();
  }

  private static Compare compare(
      String key, Compare.CompareTarget target, Compare.CompareResult result, long n) {
    Compare.Builder c = Compare.newBuilder().setKey(b(key)).setTarget(target).setResult(result);
    switch (target) {
      case VERSION -> c.setVersion(n);
      case CREATE -> c.setCreateRevision(n);
      case MOD -> c.setModRevision(n);
      default -> throw new IllegalArgumentException();
    }
    return c.build();
  }

  private List<String> keys(RangeResponse r) {
    return r.getKvsList().stream().map(kv -> kv.getKey().toStringUtf8()).toList();
  }

  @Test
  void putAnswersWithHeaderAndPrevKv() throws Exception {
    PutResponse first = apply(put("a", "1"));
    assertThat(first.getHeader().getRevision()).isEqualTo(2);
    assertThat(first.getHeader().getClusterId()).isEqualTo(42);
    assertThat(first.getHeader().getMemberId()).isEqualTo(7);
    assertThat(first.getHeader().getRaftTerm()).isEqualTo(3);
    assertThat(first.hasPrevKv()).isFalse();

    PutResponse second = apply(put("a", "2").toBuilder().setPrevKv(true).build());
    assertThat(second.getPrevKv().getValue().toStringUtf8()).isEqualTo("1");
    assertThat(second.getPrevKv().getModRevision()).isEqualTo(2);
    assertThat(applier.range(RangeRequest.newBuilder().setKey(b("a")).build()).getKvs(0))
        .isEqualTo(
            KeyValue.newBuilder()
                .setKey(b("a"))
                .setValue(b("2"))
                .setCreateRevision(2)
                .setModRevision(3)
                .setVersion(2)
                .build());
  }

  @Test
  void ignoreValueAndIgnoreLeaseKeepTheCurrentOnes() throws Exception {
    LeaseGrantRequest grant = LeaseGrantRequest.newBuilder().setID(99).setTTL(60).build();
    assertThat(((io.etcd.jetcd.api.LeaseGrantResponse) apply(grant)).getTTL()).isEqualTo(60);
    apply(put("k", "v").toBuilder().setLease(99).build());
    apply(PutRequest.newBuilder().setKey(b("k")).setIgnoreValue(true).setIgnoreLease(true).build());
    KeyValue kv = applier.range(RangeRequest.newBuilder().setKey(b("k")).build()).getKvs(0);
    assertThat(kv.getValue().toStringUtf8()).isEqualTo("v");
    assertThat(kv.getLease()).isEqualTo(99);
    assertThat(kv.getVersion()).isEqualTo(2);

    assertThatThrownBy(
            () -> apply(PutRequest.newBuilder().setKey(b("absent")).setIgnoreValue(true).build()))
        .isInstanceOf(KeyNotFoundException.class)
        .hasMessage("etcdserver: key not found");
    assertThatThrownBy(() -> apply(put("x", "y").toBuilder().setLease(12345).build()))
        .isInstanceOf(LeaseNotFoundException.class);
  }

  @Test
  void rangeSortsFiltersLimitsAndCounts() throws Exception {
    apply(put("k1", "c")); // rev 2
    apply(put("k2", "a")); // rev 3
    apply(put("k3", "b")); // rev 4
    apply(put("k1", "d")); // rev 5
    RangeRequest all = RangeRequest.newBuilder().setKey(b("k")).setRangeEnd(b("l")).build();

    assertThat(keys(applier.range(all))).containsExactly("k1", "k2", "k3");
    RangeResponse limited = applier.range(all.toBuilder().setLimit(2).build());
    assertThat(keys(limited)).containsExactly("k1", "k2");
    assertThat(limited.getMore()).isTrue();
    assertThat(limited.getCount()).isEqualTo(3);
    assertThat(
            keys(
                applier.range(
                    all.toBuilder().setSortTarget(RangeRequest.SortTarget.VALUE).build())))
        .containsExactly("k2", "k3", "k1");
    assertThat(
            keys(
                applier.range(
                    all.toBuilder()
                        .setSortTarget(RangeRequest.SortTarget.MOD)
                        .setSortOrder(RangeRequest.SortOrder.DESCEND)
                        .setLimit(1)
                        .build())))
        .containsExactly("k1");
    assertThat(
            keys(applier.range(all.toBuilder().setMinModRevision(3).setMaxModRevision(4).build())))
        .containsExactly("k2", "k3");
    assertThat(keys(applier.range(all.toBuilder().setMinCreateRevision(3).build())))
        .containsExactly("k2", "k3");
    assertThat(keys(applier.range(all.toBuilder().setRevision(3).build())))
        .containsExactly("k1", "k2");

    RangeResponse counted = applier.range(all.toBuilder().setCountOnly(true).build());
    assertThat(counted.getCount()).isEqualTo(3);
    assertThat(counted.getKvsList()).isEmpty();
    RangeResponse keysOnly = applier.range(all.toBuilder().setKeysOnly(true).build());
    assertThat(keysOnly.getKvsList()).allSatisfy(kv -> assertThat(kv.getValue()).isEmpty());
    assertThat(keysOnly.getHeader().getRevision()).isEqualTo(5);
    assertThatThrownBy(() -> applier.range(all.toBuilder().setRevision(6).build()))
        .isInstanceOf(FutureRevisionException.class);
  }

  @Test
  void deleteRangeReturnsPrevKvsOnlyWhenAsked() throws Exception {
    apply(put("d1", "1"));
    apply(put("d2", "2"));
    DeleteRangeResponse plain = apply(DeleteRangeRequest.newBuilder().setKey(b("d1")).build());
    assertThat(plain.getDeleted()).isEqualTo(1);
    assertThat(plain.getPrevKvsList()).isEmpty();
    DeleteRangeResponse withPrev =
        apply(
            DeleteRangeRequest.newBuilder()
                .setKey(b("d"))
                .setRangeEnd(b("e"))
                .setPrevKv(true)
                .build());
    assertThat(withPrev.getPrevKvsList())
        .extracting(kv -> kv.getValue().toStringUtf8())
        .containsExactly("2");
  }

  @Test
  void txnComparesChooseTheBranchAndNestedTxnsShareOneRevision() throws Exception {
    apply(put("k", "v1")); // rev 2: version 1, create 2, mod 2
    RequestOp putK2 = RequestOp.newBuilder().setRequestPut(put("k", "v2")).build();
    RequestOp putOther = RequestOp.newBuilder().setRequestPut(put("other", "x")).build();
    TxnRequest nested =
        TxnRequest.newBuilder()
            .addCompare(compare("k", Compare.CompareTarget.VERSION, Compare.CompareResult.EQUAL, 2))
            .addSuccess(putOther)
            .build();
    TxnRequest txn =
        TxnRequest.newBuilder()
            .addCompare(compare("k", Compare.CompareTarget.VERSION, Compare.CompareResult.EQUAL, 1))
            .addCompare(compare("k", Compare.CompareTarget.CREATE, Compare.CompareResult.LESS, 3))
            .addCompare(compare("k", Compare.CompareTarget.MOD, Compare.CompareResult.GREATER, 1))
            .addCompare(
                Compare.newBuilder()
                    .setKey(b("k"))
                    .setTarget(Compare.CompareTarget.VALUE)
                    .setResult(Compare.CompareResult.NOT_EQUAL)
                    .setValue(b("zzz")))
            .addSuccess(putK2)
            .addSuccess(RequestOp.newBuilder().setRequestTxn(nested))
            .addFailure(
                RequestOp.newBuilder()
                    .setRequestDeleteRange(DeleteRangeRequest.newBuilder().setKey(b("k"))))
            .build();
    TxnResponse resp = apply(txn);
    assertThat(resp.getSucceeded()).isTrue();
    // The nested txn sees the outer put: k's version is 2 inside the same transaction.
    assertThat(resp.getResponses(1).getResponseTxn().getSucceeded()).isTrue();
    assertThat(resp.getHeader().getRevision()).isEqualTo(3);
    KeyValue other = applier.range(RangeRequest.newBuilder().setKey(b("other")).build()).getKvs(0);
    assertThat(other.getModRevision()).isEqualTo(3);

    TxnResponse failed = apply(txn);
    assertThat(failed.getSucceeded()).isFalse();
    assertThat(failed.getResponses(0).getResponseDeleteRange().getDeleted()).isEqualTo(1);
  }

  @Test
  void compareOnAMissingKeySeesZeroesAndNeverMatchesAValue() throws Exception {
    TxnResponse created =
        apply(
            TxnRequest.newBuilder()
                .addCompare(
                    compare("new", Compare.CompareTarget.CREATE, Compare.CompareResult.EQUAL, 0))
                .addSuccess(RequestOp.newBuilder().setRequestPut(put("new", "1")))
                .build());
    assertThat(created.getSucceeded()).isTrue();
    TxnResponse byValue =
        apply(
            TxnRequest.newBuilder()
                .addCompare(
                    Compare.newBuilder()
                        .setKey(b("missing"))
                        .setTarget(Compare.CompareTarget.VALUE)
                        .setResult(Compare.CompareResult.NOT_EQUAL)
                        .setValue(b("x")))
                .build());
    assertThat(byValue.getSucceeded()).isFalse();
  }

  @Test
  void txnWithAnUnknownLeaseChangesNothing() throws Exception {
    TxnRequest txn =
        TxnRequest.newBuilder()
            .addSuccess(RequestOp.newBuilder().setRequestPut(put("a", "1")))
            .addSuccess(
                RequestOp.newBuilder().setRequestPut(put("b", "2").toBuilder().setLease(777)))
            .build();
    assertThatThrownBy(() -> apply(txn)).isInstanceOf(LeaseNotFoundException.class);
    assertThat(applier.range(RangeRequest.newBuilder().setKey(b("a")).build()).getKvsList())
        .isEmpty();
    assertThat(applier.header().getRevision()).isEqualTo(1);
  }

  @Test
  void txnIgnoringTheValueOfAMissingKeyChangesNothing() throws Exception {
    TxnRequest txn =
        TxnRequest.newBuilder()
            .addSuccess(RequestOp.newBuilder().setRequestPut(put("a", "1")))
            .addSuccess(
                RequestOp.newBuilder()
                    .setRequestPut(
                        PutRequest.newBuilder().setKey(b("missing")).setIgnoreValue(true)))
            .build();
    assertThatThrownBy(() -> apply(txn)).isInstanceOf(KeyNotFoundException.class);
    assertThat(applier.header().getRevision()).isEqualTo(1);
  }

  @Test
  void compactionAndLeaseRevocationFailWithTheStoreErrors() throws Exception {
    apply(put("c", "1"));
    apply(put("c", "2"));
    apply(CompactionRequest.newBuilder().setRevision(3).build());
    assertThatThrownBy(
            () -> applier.range(RangeRequest.newBuilder().setKey(b("c")).setRevision(2).build()))
        .isInstanceOf(CompactedException.class)
        .hasMessage("mvcc: required revision has been compacted");
    assertThatThrownBy(() -> apply(CompactionRequest.newBuilder().setRevision(2).build()))
        .isInstanceOf(CompactedException.class);
    assertThatThrownBy(() -> apply(LeaseRevokeRequest.newBuilder().setID(5).build()))
        .isInstanceOf(LeaseNotFoundException.class);
  }

  @Test
  void everyMemberReachesTheSameStateAndReplayedEntriesAreSkipped() throws Exception {
    KvApplier other = newApplier(8);
    List<Message> log =
        List.of(
            put("a", "1"),
            LeaseGrantRequest.newBuilder().setID(5).setTTL(30).build(),
            put("b", "2").toBuilder().setLease(5).build(),
            TxnRequest.newBuilder()
                .addSuccess(RequestOp.newBuilder().setRequestPut(put("a", "3")))
                .build(),
            LeaseRevokeRequest.newBuilder().setID(5).build(),
            CompactionRequest.newBuilder().setRevision(3).build());
    long start = index;
    for (Message m : log) {
      apply(applier, m);
    }
    index = start;
    for (Message m : log) {
      apply(other, m);
    }
    assertThat(other.snapshot()).isEqualTo(applier.snapshot());

    // Entries at or below the consistent index were applied before: replaying them changes nothing.
    index = start;
    apply(other, put("a", "replayed"));
    assertThat(other.snapshot()).isEqualTo(applier.snapshot());

    KvApplier restored = newApplier(9);
    restored.restore(
        new Snapshot(new SnapshotMetadata(index, 1, ConfState.ofVoters(1)), applier.snapshot()));
    assertThat(
            restored
                .range(RangeRequest.newBuilder().setKey(b("a")).build())
                .getKvs(0)
                .getValue()
                .toStringUtf8())
        .isEqualTo("3");
    assertThat(restored.header().getRevision()).isEqualTo(applier.header().getRevision());
  }

  @Test
  void aDamagedEntryIsSkippedByEveryMember() {
    applier.apply(++index, ByteBuffer.wrap(new byte[] {42, 0, 0, 0, 0, 0, 0, 0, 1}));
    assertThat(applier.header().getRevision()).isEqualTo(1);
  }
}
