package io.raftwatch.collector.scrape;

import io.raftwatch.collector.config.ClusterConfig;
import io.raftwatch.collector.config.MemberConfig;
import io.raftwatch.collector.tsdb.Labels;
import java.net.URI;

/**
 * One member's metrics endpoint, with the labels every series scraped from it carries: {@code
 * job}, {@code instance} (host:port), {@code cluster}, {@code member} and the cluster's extra
 * labels. Immutable.
 *
 * @param cluster the cluster's name
 * @param member the member's name
 * @param url the URL scraped
 * @param labels the target labels, without {@code __name__}
 */
public record Target(String cluster, String member, URI url, Labels labels) {

  /** The target of {@code member} in {@code cluster}, labelled as the config says. */
  public static Target of(ClusterConfig cluster, MemberConfig member) {
    Labels.Builder labels = Labels.builder();
    cluster.labels().forEach(labels::set);
    labels.set("job", cluster.job());
    labels.set("instance", member.instance());
    labels.set("cluster", cluster.name());
    labels.set("member", member.name());
    return new Target(cluster.name(), member.name(), member.scrapeUrl(), labels.build());
  }

  /** The {@code instance} label: host:port. */
  public String instance() {
    return labels.get("instance");
  }
}
