/**
 * {@code raftwatch demo}: the whole product on one machine, from nothing.
 *
 * <p>{@link io.raftwatch.collector.demo.Demo} is the composition root and does the steps in order:
 * {@link io.raftwatch.collector.demo.DemoDirectory} decides whether the directory is new, resumed
 * or refused; {@link io.raftwatch.collector.demo.DemoPki} issues the certificates; {@link
 * io.raftwatch.collector.demo.DemoConfigFile} writes {@code raftwatch.yaml} and the rendered rules;
 * {@link io.raftwatch.collector.demo.DemoCluster} runs the members ({@link
 * io.raftwatch.collector.demo.MemberProcess}, started by {@link
 * io.raftwatch.collector.demo.RaftkvLauncher} with etcd's flags) and waits for a leader through
 * {@link io.raftwatch.collector.demo.LeaderProbe}; the manifests come from the {@code manifests}
 * package; {@link io.raftwatch.collector.demo.Chaos} kills and restarts leaders.
 */
package io.raftwatch.collector.demo;
