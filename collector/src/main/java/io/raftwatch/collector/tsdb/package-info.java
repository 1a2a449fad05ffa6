/**
 * The collector's in-memory series store, Prometheus's head block in small.
 *
 * <p>{@link io.raftwatch.collector.tsdb.Labels} identify series; {@link
 * io.raftwatch.collector.tsdb.SeriesStore} keeps each series' samples in Gorilla-compressed chunks
 * (delta-of-delta timestamps, XOR values, about 120 samples each), indexes series by label pair for
 * {@link io.raftwatch.collector.tsdb.LabelMatcher} selection, drops chunks older than the
 * retention, and caps the number of series per cluster.
 *
 * <p>Threads: one scrape thread per target appends its batches; rule evaluation and the API read
 * through {@link io.raftwatch.collector.tsdb.SeriesReader} concurrently; one retention job calls
 * {@code truncateBefore}. Readers get per-series snapshots. NB: a batch is checked against the
 * series limit as a whole but applied series by series, so a reader running during an append may
 * see some series of that scrape already updated and others not yet (Prometheus's head hides a
 * scrape until its commit; this store does not).
 */
package io.raftwatch.collector.tsdb;
