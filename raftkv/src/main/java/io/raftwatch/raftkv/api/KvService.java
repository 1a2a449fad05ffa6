package io.raftwatch.raftkv.api;

import io.etcd.jetcd.api.CompactionRequest;
import io.etcd.jetcd.api.CompactionResponse;
import io.etcd.jetcd.api.DeleteRangeRequest;
import io.etcd.jetcd.api.DeleteRangeResponse;
import io.etcd.jetcd.api.KVGrpc;
import io.etcd.jetcd.api.PutRequest;
import io.etcd.jetcd.api.PutResponse;
import io.etcd.jetcd.api.RangeRequest;
import io.etcd.jetcd.api.RangeResponse;
import io.etcd.jetcd.api.TxnRequest;
import io.etcd.jetcd.api.TxnResponse;
import io.grpc.stub.StreamObserver;
import java.util.stream.Stream;

/**
 * etcd's KV service: Range as a read on the raft loop thread (linearizable unless serializable),
 * Put, DeleteRange, Txn and Compact through Raft (Put and Txn within the backend quota, as etcd's
 * quota server checks them). Runs on gRPC's threads.
 */
final class KvService extends KVGrpc.KVImplBase {
  // etcd's default --max-txn-ops, checked for every txn nested in the request too.
  static final int MAX_TXN_OPS = 128;

  private final MemberContext member;

  KvService(MemberContext member) {
    this.member = member;
  }

  @Override
  public void range(RangeRequest r, StreamObserver<RangeResponse> out) {
    if (r.getKey().isEmpty()) {
      out.onError(EtcdErrors.KEY_NOT_PROVIDED);
      return;
    }
    Replies.send(member.read(r.getSerializable(), a -> a.range(r)), out);
  }

  @Override
  public void put(PutRequest r, StreamObserver<PutResponse> out) {
    if (r.getKey().isEmpty()) {
      out.onError(EtcdErrors.KEY_NOT_PROVIDED);
      return;
    }
    Replies.send(member.writeWithinQuota(r), out);
  }

  @Override
  public void deleteRange(DeleteRangeRequest r, StreamObserver<DeleteRangeResponse> out) {
    if (r.getKey().isEmpty()) {
      out.onError(EtcdErrors.KEY_NOT_PROVIDED);
      return;
    }
    Replies.send(member.write(r), out);
  }

  @Override
  public void txn(TxnRequest r, StreamObserver<TxnResponse> out) {
    if (tooManyOps(r)) {
      out.onError(EtcdErrors.TOO_MANY_OPS);
      return;
    }
    Replies.send(member.writeWithinQuota(r), out);
  }

  private static boolean tooManyOps(TxnRequest r) {
    if (r.getCompareCount() > MAX_TXN_OPS
        || r.getSuccessCount() > MAX_TXN_OPS
        || r.getFailureCount() > MAX_TXN_OPS) {
      return true;
    }
    return Stream.concat(r.getSuccessList().stream(), r.getFailureList().stream())
        .anyMatch(op -> op.hasRequestTxn() && tooManyOps(op.getRequestTxn()));
  }

  @Override
  public void compact(CompactionRequest r, StreamObserver<CompactionResponse> out) {
    Replies.send(member.write(r), out);
  }
}
