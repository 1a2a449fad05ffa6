package io.raftwatch.collector.rules;

import io.raftwatch.collector.tsdb.SampleBatch;
import io.raftwatch.collector.tsdb.SeriesLimitExceededException;

/**
 * Where a {@link RuleGroup} writes what its rules produce (recorded series, {@code ALERTS}, {@code
 * ALERTS_FOR_STATE}, staleness markers): usually {@code batch -> store.append(cluster, batch)}.
 * Called on the group's evaluating thread; the batch is reused after the call returns.
 */
@FunctionalInterface
public interface SampleSink {
  void write(SampleBatch batch) throws SeriesLimitExceededException;
}
