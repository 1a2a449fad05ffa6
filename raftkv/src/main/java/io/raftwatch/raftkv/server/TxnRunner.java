package io.raftwatch.raftkv.server;

import io.etcd.jetcd.api.Compare;
import io.etcd.jetcd.api.DeleteRangeRequest;
import io.etcd.jetcd.api.DeleteRangeResponse;
import io.etcd.jetcd.api.PutRequest;
import io.etcd.jetcd.api.PutResponse;
import io.etcd.jetcd.api.RequestOp;
import io.etcd.jetcd.api.ResponseOp;
import io.etcd.jetcd.api.TxnRequest;
import io.etcd.jetcd.api.TxnResponse;
import io.raftwatch.raftkv.mvcc.DeleteResult;
import io.raftwatch.raftkv.mvcc.KeyValue;
import io.raftwatch.raftkv.mvcc.LeaseNotFoundException;
import io.raftwatch.raftkv.mvcc.Lessor;
import io.raftwatch.raftkv.mvcc.RangeOptions;
import io.raftwatch.raftkv.mvcc.WriteTxn;
import java.util.Arrays;
import java.util.List;

/**
 * Runs etcd Put, DeleteRange and Txn requests inside one {@link WriteTxn} (etcd's applierV3): a
 * Txn's compares, then the chosen branch, nested Txns included, all at one revision. Raft loop
 * thread only. Responses carry no header: the applier adds it.
 */
final class TxnRunner {
  private final WriteTxn txn;
  private final Lessor lessor;

  TxnRunner(WriteTxn txn, Lessor lessor) {
    this.txn = txn;
    this.lessor = lessor;
  }

  PutResponse.Builder put(PutRequest r) {
    byte[] key = r.getKey().toByteArray();
    // Only these options need the current value: a plain put, the common case, reads nothing.
    boolean needsPrev = r.getPrevKv() || r.getIgnoreValue() || r.getIgnoreLease();
    KeyValue prev = needsPrev ? current(key) : null;
    if ((r.getIgnoreValue() || r.getIgnoreLease()) && prev == null) {
      throw new KeyNotFoundException();
    }
    byte[] value = r.getIgnoreValue() ? prev.value() : r.getValue().toByteArray();
    long lease = r.getIgnoreLease() ? prev.lease() : r.getLease();
    txn.put(key, value, lease);
    PutResponse.Builder resp = PutResponse.newBuilder();
    if (r.getPrevKv() && prev != null) {
      resp.setPrevKv(RangeReader.toProto(prev));
    }
    return resp;
  }

  DeleteRangeResponse.Builder delete(DeleteRangeRequest r) {
    DeleteResult d = txn.deleteRange(r.getKey().toByteArray(), r.getRangeEnd().toByteArray());
    DeleteRangeResponse.Builder resp = DeleteRangeResponse.newBuilder().setDeleted(d.deleted());
    if (r.getPrevKv()) {
      d.prevKvs().forEach(kv -> resp.addPrevKvs(RangeReader.toProto(kv)));
    }
    return resp;
  }

  TxnResponse.Builder txn(TxnRequest r) {
    boolean succeeded = r.getCompareList().stream().allMatch(this::holds);
    List<RequestOp> ops = succeeded ? r.getSuccessList() : r.getFailureList();
    // etcd checks every put first, so a bad lease or missing key changes nothing, not half a
    // branch.
    checkPuts(ops);
    TxnResponse.Builder resp = TxnResponse.newBuilder().setSucceeded(succeeded);
    for (RequestOp op : ops) {
      resp.addResponses(run(op));
    }
    return resp;
  }

  private void checkPuts(List<RequestOp> ops) {
    for (RequestOp op : ops) {
      if (op.hasRequestPut()) {
        PutRequest put = op.getRequestPut();
        if (put.getLease() != 0 && !lessor.contains(put.getLease())) {
          throw new LeaseNotFoundException(put.getLease());
        }
        if ((put.getIgnoreValue() || put.getIgnoreLease())
            && current(put.getKey().toByteArray()) == null) {
          throw new KeyNotFoundException();
        }
      } else if (op.hasRequestTxn()) {
        TxnRequest nested = op.getRequestTxn();
        checkPuts(
            nested.getCompareList().stream().allMatch(this::holds)
                ? nested.getSuccessList()
                : nested.getFailureList());
      }
    }
  }

  private ResponseOp run(RequestOp op) {
    return switch (op.getRequestCase()) {
      case REQUEST_RANGE ->
          ResponseOp.newBuilder()
              .setResponseRange(RangeReader.read(txn::range, op.getRequestRange()))
              .build();
      case REQUEST_PUT -> ResponseOp.newBuilder().setResponsePut(put(op.getRequestPut())).build();
      case REQUEST_DELETE_RANGE ->
          ResponseOp.newBuilder()
              .setResponseDeleteRange(delete(op.getRequestDeleteRange()))
              .build();
      case REQUEST_TXN -> ResponseOp.newBuilder().setResponseTxn(txn(op.getRequestTxn())).build();
      case REQUEST_NOT_SET -> throw new IllegalArgumentException("txn op with no request");
    };
  }

  private KeyValue current(byte[] key) {
    List<KeyValue> kvs = txn.range(key, null, RangeOptions.DEFAULT).kvs();
    return kvs.isEmpty() ? null : kvs.get(0);
  }

  /** etcd applyCompare: every key in the range must satisfy it; no key compares as zeroes. */
  private boolean holds(Compare c) {
    List<KeyValue> kvs =
        txn.range(c.getKey().toByteArray(), c.getRangeEnd().toByteArray(), RangeOptions.DEFAULT)
            .kvs();
    if (kvs.isEmpty()) {
      return c.getTargetValue() != Compare.CompareTarget.VALUE_VALUE
          && holds(c, new KeyValue(c.getKey().toByteArray(), 0, 0, 0, new byte[0], 0));
    }
    return kvs.stream().allMatch(kv -> holds(c, kv));
  }

  static boolean holds(Compare c, KeyValue kv) {
    int cmp =
        switch (c.getTargetValue()) {
          case Compare.CompareTarget.VERSION_VALUE -> Long.compare(kv.version(), c.getVersion());
          case Compare.CompareTarget.CREATE_VALUE ->
              Long.compare(kv.createRevision(), c.getCreateRevision());
          case Compare.CompareTarget.MOD_VALUE ->
              Long.compare(kv.modRevision(), c.getModRevision());
          case Compare.CompareTarget.VALUE_VALUE ->
              Arrays.compareUnsigned(kv.value(), c.getValue().toByteArray());
          case LEASE_TARGET -> Long.compare(kv.lease(), leaseOf(c));
          default ->
              throw new IllegalArgumentException("unknown compare target " + c.getTargetValue());
        };
    return switch (c.getResult()) {
      case EQUAL -> cmp == 0;
      case NOT_EQUAL -> cmp != 0;
      case LESS -> cmp < 0;
      case GREATER -> cmp > 0;
      default -> throw new IllegalArgumentException("unknown compare result " + c.getResult());
    };
  }

  // jetcd-grpc's rpc.proto predates etcd's LEASE target (4) and its lease field (8): read both raw.
  private static final int LEASE_TARGET = 4;
  private static final int LEASE_FIELD = 8;

  private static long leaseOf(Compare c) {
    var field = c.getUnknownFields().getField(LEASE_FIELD);
    return field == null || field.getVarintList().isEmpty() ? 0 : field.getVarintList().get(0);
  }
}
