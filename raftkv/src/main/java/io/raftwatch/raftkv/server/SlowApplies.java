package io.raftwatch.raftkv.server;

import com.google.protobuf.Message;
import com.google.protobuf.TextFormat;
import io.etcd.jetcd.api.DeleteRangeRequest;
import io.etcd.jetcd.api.PutRequest;
import io.etcd.jetcd.api.TxnRequest;
import java.util.Locale;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * etcd's slow-apply accounting: an applied request that took longer than 100 ms (etcd's
 * warnApplyDuration) counts in {@code etcd_server_slow_apply_total} and is logged as etcd logs it,
 * "apply request took too long", with the request's kind and keys but never its values. Raft loop
 * thread only.
 */
public final class SlowApplies {
  private static final Logger log = LoggerFactory.getLogger(SlowApplies.class);

  static final long WARN_NANOS = 100_000_000;

  private final LongSupplier nanoTime;
  private final ServerMetrics metrics;

  public SlowApplies(LongSupplier nanoTime, ServerMetrics metrics) {
    this.nanoTime = nanoTime;
    this.metrics = metrics;
  }

  /** The start of an apply, to hand back to {@link #finished}. */
  long start() {
    return nanoTime.getAsLong();
  }

  void finished(long start, Message request) {
    long took = nanoTime.getAsLong() - start;
    if (took > WARN_NANOS) {
      metrics.slowApplies.inc();
      log.warn("apply request took too long: took={}ms expected-duration={}ms request=\"{}\"",
          took / 1_000_000, WARN_NANOS / 1_000_000, describe(request));
    }
  }

  /** The request as etcd's log shows it: keys escaped, values only by size. */
  static String describe(Message request) {
    if (request instanceof PutRequest r) {
      return "put:<key:\"" + TextFormat.escapeBytes(r.getKey()) + "\" value_size:"
          + r.getValue().size() + (r.getLease() != 0 ? " lease:" + r.getLease() : "") + " >";
    } else if (request instanceof DeleteRangeRequest r) {
      return "delete_range:<key:\"" + TextFormat.escapeBytes(r.getKey()) + "\" range_end:\""
          + TextFormat.escapeBytes(r.getRangeEnd()) + "\" >";
    } else if (request instanceof TxnRequest r) {
      return "txn:<compare:" + r.getCompareCount() + " success:" + r.getSuccessCount()
          + " failure:" + r.getFailureCount() + " >";
    }
    return RequestKind.of(request).name().toLowerCase(Locale.ROOT);
  }
}
