/**
 * The cluster description, {@code raftwatch.yaml}: which clusters to watch, their members, the
 * client certificates to scrape them with, extra labels, intervals, rule files and the facts the
 * Kubernetes manifests need.
 *
 * <p>{@link io.raftwatch.collector.config.ConfigLoader} reads the file with Jackson's YAML parser
 * into a tree that remembers line numbers ({@link io.raftwatch.collector.config.YamlNode}), then
 * {@link io.raftwatch.collector.config.ConfigBinder} turns it into immutable records, collecting
 * every mistake as a {@link io.raftwatch.collector.config.ConfigProblem} that names the file, the
 * line and the field. {@link io.raftwatch.collector.config.EndpointsConfig} builds the same model
 * from etcdctl-style flags. Nothing here touches the network; certificate files are checked by
 * {@code scrape.ClientTls} before the first scrape.
 */
package io.raftwatch.collector.config;
