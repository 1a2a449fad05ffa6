/**
 * Prometheus rules evaluated by the collector itself, over its own PromQL engine.
 *
 * <p>{@link io.raftwatch.collector.rules.RuleFileLoader} reads rule files as Prometheus does
 * (groups with {@code interval}, {@code limit}, {@code labels}, {@code query_offset}; recording
 * rules; alerting rules with {@code for} and {@code keep_firing_for}), with errors that name file,
 * line, group and rule. A {@link io.raftwatch.collector.rules.RuleGroup} evaluates its rules in
 * order at a time passed in ({@code eval(Instant, QueryFunction, SampleSink)}; no clock is read)
 * and writes recorded series, {@code ALERTS} and {@code ALERTS_FOR_STATE} back to the store, with
 * staleness markers for series that ended. {@link io.raftwatch.collector.rules.AlertingRule} keeps
 * the alert life cycle of Prometheus's {@code rules/alerting.go} (diagram on the class; resolved
 * alerts kept 15 minutes). Labels and annotations are expanded by the {@code template}
 * subpackage.
 *
 * <p>{@link io.raftwatch.collector.rules.RuleUnitTester} runs promtool's unit-test files and
 * reports in promtool's words ({@code raftwatch rules test}); {@link
 * io.raftwatch.collector.rules.RuleFileRenderer} renders {@code alert-rules/src/etcd.rules.yaml.ftl}
 * with another member label set ({@code raftwatch rules render}).
 *
 * <p>Differences from Prometheus: the {@code for} state is not restored from {@code
 * ALERTS_FOR_STATE} after a restart; groups are not offset within their interval by a hash (the
 * scheduler passes the time); rules' query functions ({@code query} in templates) are absent.
 */
package io.raftwatch.collector.rules;
