/**
 * raftwatch's own PromQL engine: {@link io.raftwatch.collector.promql.Parser} (lexer, parser and
 * type checker with Prometheus's messages and line:column positions) and {@link
 * io.raftwatch.collector.promql.Engine} (instant and range queries over the {@code tsdb} series
 * store), used by the rules engine, the API and the reports.
 *
 * <p>Layout: {@code Lexer} → {@code Parser} → {@link io.raftwatch.collector.promql.Expr} (sealed
 * AST); {@code Evaluator} walks it per step, with {@code BinaryOperations}, {@code Aggregations},
 * {@code RangeFunctions}, {@code InstantFunctions} and {@code HistogramQuantile} doing the math,
 * and {@code GoMath}/{@code GoNumbers} reproducing Go's float64 behaviour.
 *
 * <p>The reference is Prometheus 2.42, the version of Debian's promtool, against which every
 * conformance script under {@code src/test/resources/promql/} is checked ({@code
 * PromtoolOracleTest}); {@code PromqlConformanceTest} runs the same scripts here and compares
 * values exactly. Where newer Prometheus differs, this package follows 2.42:
 *
 * <ul>
 *   <li>Range selectors, subquery ranges and the lookback window are closed intervals: a sample
 *       exactly at {@code t - range} (or {@code t - 5m}) counts (Prometheus 3 excludes it).
 *   <li>{@code rate}/{@code increase}/{@code delta} scale by one factor, {@code value *
 *       (extrapolated / sampled / range)}, which can differ from later versions in the last bit.
 *   <li>{@code sum_over_time} and {@code stddev/stdvar_over_time} use Kahan-Neumaier compensation,
 *       {@code avg_over_time} compensates its incremental mean, {@code deriv}/{@code
 *       predict_linear} their four sums; the aggregators compensate nothing.
 *   <li>{@code last_over_time} keeps the metric name; {@code atan2} keeps it too.
 *   <li>{@code holt_winters} exists (later renamed {@code double_exponential_smoothing}).
 *   <li>{@code count_values} checks its label name at evaluation, not at parse time.
 * </ul>
 *
 * <p>Known differences from Prometheus:
 *
 * <ul>
 *   <li>Aggregators see series in label order (how the store returns them); Prometheus sees them in
 *       series-creation order (and promtool in random order). Sums and means of more than two
 *       values can therefore differ in the last bit, and {@code topk by (...)} lists its groups in
 *       another order.
 *   <li>{@code exp}, {@code ln}, {@code log2}, {@code log10}, {@code ^}, {@code sin}, {@code cos}
 *       and {@code tan} reproduce Go's amd64 algorithms (as far as the tests reach); {@code exp}
 *       follows the FMA path of Go's assembly, so it matches Prometheus on CPUs with FMA. {@code
 *       asin}, {@code atan} (and so {@code acos}) use fdlibm where Go uses Cephes, which may differ
 *       by an ulp for some arguments.
 *   <li>Regular expressions run on {@link java.util.regex} rather than RE2: the common syntax is
 *       the same, {@code (?P<name>)} is accepted, but RE2-only or Java-only constructs differ.
 *   <li>Native histograms are not supported; {@code histogram_quantile} reads classic buckets.
 *   <li>Evaluation is one instant evaluation per step; Prometheus's step-invariant shortcut is not
 *       taken, so {@code @} expressions in long range queries cost more than in Prometheus.
 * </ul>
 */
package io.raftwatch.collector.promql;
