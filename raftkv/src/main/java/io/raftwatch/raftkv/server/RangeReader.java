package io.raftwatch.raftkv.server;

import com.google.protobuf.ByteString;
import io.etcd.jetcd.api.RangeRequest;
import io.etcd.jetcd.api.RangeResponse;
import io.raftwatch.raftkv.mvcc.KeyValue;
import io.raftwatch.raftkv.mvcc.RangeOptions;
import io.raftwatch.raftkv.mvcc.RangeResult;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * Serves an etcd RangeRequest from a store or a write transaction (etcd's applierV3 Range): reads,
 * then sorts and filters by min/max mod and create revision, then cuts to the limit. Runs on the
 * raft loop thread; the response carries no header (the caller adds it).
 */
public final class RangeReader {
  /** A store or write transaction to read from. */
  @FunctionalInterface
  interface Source {
    RangeResult range(byte[] key, byte[] end, RangeOptions options);
  }

  private RangeReader() {}

  static RangeResponse.Builder read(Source source, RangeRequest r) {
    boolean sorted =
        sortOrder(r) != RangeRequest.SortOrder.NONE
            && !(r.getSortTarget() == RangeRequest.SortTarget.KEY
                && r.getSortOrder() == RangeRequest.SortOrder.ASCEND);
    boolean filtered =
        r.getMinModRevision() != 0
            || r.getMaxModRevision() != 0
            || r.getMinCreateRevision() != 0
            || r.getMaxCreateRevision() != 0;
    // Read one beyond the limit to learn whether there is more, unless sorting or filtering needs
    // all.
    long readLimit = sorted || filtered || r.getLimit() <= 0 ? 0 : r.getLimit() + 1;
    RangeResult rr =
        source.range(
            r.getKey().toByteArray(),
            r.getRangeEnd().toByteArray(),
            new RangeOptions(readLimit, r.getRevision(), r.getCountOnly(), r.getKeysOnly()));
    List<KeyValue> kvs = new ArrayList<>(rr.kvs());
    kvs.removeIf(kv -> !passes(r, kv));
    if (sorted) {
      Comparator<KeyValue> order = comparator(r.getSortTarget());
      kvs.sort(sortOrder(r) == RangeRequest.SortOrder.DESCEND ? order.reversed() : order);
    }
    boolean more = false;
    if (r.getLimit() > 0 && kvs.size() > r.getLimit()) {
      kvs = kvs.subList(0, (int) r.getLimit());
      more = true;
    }
    RangeResponse.Builder resp = RangeResponse.newBuilder().setCount(rr.count()).setMore(more);
    kvs.forEach(kv -> resp.addKvs(toProto(kv)));
    return resp;
  }

  // etcd sorts ascending by default when a target other than the key is named.
  private static RangeRequest.SortOrder sortOrder(RangeRequest r) {
    if (r.getSortOrder() == RangeRequest.SortOrder.NONE
        && r.getSortTarget() != RangeRequest.SortTarget.KEY) {
      return RangeRequest.SortOrder.ASCEND;
    }
    return r.getSortOrder();
  }

  private static boolean passes(RangeRequest r, KeyValue kv) {
    return (r.getMinModRevision() == 0 || kv.modRevision() >= r.getMinModRevision())
        && (r.getMaxModRevision() == 0 || kv.modRevision() <= r.getMaxModRevision())
        && (r.getMinCreateRevision() == 0 || kv.createRevision() >= r.getMinCreateRevision())
        && (r.getMaxCreateRevision() == 0 || kv.createRevision() <= r.getMaxCreateRevision());
  }

  private static Comparator<KeyValue> comparator(RangeRequest.SortTarget target) {
    return switch (target) {
      case VERSION -> Comparator.comparingLong(KeyValue::version);
      case CREATE -> Comparator.comparingLong(KeyValue::createRevision);
      case MOD -> Comparator.comparingLong(KeyValue::modRevision);
      case VALUE -> (a, b) -> Arrays.compareUnsigned(a.value(), b.value());
      default -> (a, b) -> Arrays.compareUnsigned(a.key(), b.key());
    };
  }

  /** The etcd protobuf form of a key version. */
  public static io.etcd.jetcd.api.KeyValue toProto(KeyValue kv) {
    return io.etcd.jetcd.api.KeyValue.newBuilder()
        .setKey(ByteString.copyFrom(kv.key()))
        .setCreateRevision(kv.createRevision())
        .setModRevision(kv.modRevision())
        .setVersion(kv.version())
        .setValue(ByteString.copyFrom(kv.value()))
        .setLease(kv.lease())
        .build();
  }
}
