/**
 * raftwatch's own PromQL engine: {@link io.raftwatch.collector.promql.Parser} (lexer, parser and
 * type checker with Prometheus's messages and line:column positions) and {@link
 * io.raftwatch.collector.promql.Engine} (instant and range queries over the {@code tsdb} series
 * store), used by the rules engine, the API and the reports.
 *
 * <p>The reference is Prometheus 2.42 — the version of Debian's promtool, which the conformance
 * scripts under {@code src/test/resources/promql/} are checked against ({@code
 * PromtoolOracleTest}). Where newer Prometheus differs, this package follows 2.42:
 *
 * <ul>
 *   <li>Range selectors and the lookback window are closed intervals: a sample exactly at {@code
 *       t - range} (or {@code t - 5m}) counts (Prometheus 3 excludes it).
 *   <li>{@code rate}/{@code increase}/{@code delta} scale by one factor, {@code value *
 *       (extrapolated / sampled / range)}, and {@code *_over_time}, {@code avg} and {@code deriv}
 *       sum without Kahan compensation, which can differ from later versions in the last bit.
 *   <li>{@code holt_winters} exists (renamed {@code double_exponential_smoothing} later).
 * </ul>
 *
 * <p>Evaluation runs one instant evaluation per step (see {@link
 * io.raftwatch.collector.promql.Evaluator}); native histograms are not supported.
 */
package io.raftwatch.collector.promql;
