package io.raftwatch.raftkv.server;

import com.google.protobuf.Message;
import io.etcd.jetcd.api.LeaseGrantRequest;
import io.etcd.jetcd.api.PutRequest;
import io.etcd.jetcd.api.RequestOp;
import io.etcd.jetcd.api.TxnRequest;
import java.util.List;
import java.util.function.LongSupplier;

/**
 * etcd's backend quota ({@code --quota-backend-bytes}, etcd's {@code backendQuota}): a request is
 * admitted while the backend's size plus the request's estimated cost stays under the quota. The
 * cost is etcd's estimate: 256 bytes of overhead plus key and value per put (the larger branch of
 * a txn), 64 bytes per lease. The gRPC threads ask {@link #available} before proposing a Put, Txn
 * or LeaseGrant; when it says no, the member raises a NOSPACE alarm (see {@link KvProposer}).
 */
public final class Quota {
  /** etcd's default quota when the flag is 0: 2 GiB. */
  public static final long DEFAULT_BYTES = 2L << 30;
  private static final int KV_OVERHEAD = 256;
  private static final int LEASE_OVERHEAD = 64;

  private final long bytes;
  private final LongSupplier backendSize;

  /**
   * @param configured {@code --quota-backend-bytes}; 0 means etcd's default
   * @param backendSize the backend's size in bytes as of its last commit; any thread
   */
  public Quota(long configured, LongSupplier backendSize) {
    this.bytes = configured <= 0 ? DEFAULT_BYTES : configured;
    this.backendSize = backendSize;
  }

  /** The quota in bytes (etcd_server_quota_backend_bytes). */
  public long bytes() {
    return bytes;
  }

  /** Whether request fits: backend size plus its cost stays under the quota. */
  public boolean available(Message request) {
    return backendSize.getAsLong() + cost(request) < bytes;
  }

  /** etcd's cost estimate of a request; 0 for one that adds nothing (deletes, ranges). */
  static long cost(Message request) {
    if (request instanceof PutRequest p) {
      return KV_OVERHEAD + p.getKey().size() + p.getValue().size();
    } else if (request instanceof TxnRequest t) {
      return Math.max(cost(t.getSuccessList()), cost(t.getFailureList()));
    } else if (request instanceof LeaseGrantRequest) {
      return LEASE_OVERHEAD;
    }
    return 0;
  }

  private static long cost(List<RequestOp> ops) {
    long sum = 0;
    for (RequestOp op : ops) {
      if (op.hasRequestPut()) {
        sum += cost(op.getRequestPut());
      } else if (op.hasRequestTxn()) {
        sum += cost(op.getRequestTxn());
      }
    }
    return sum;
  }
}
