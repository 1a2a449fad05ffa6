package io.raftwatch.collector.demo;

import io.raftwatch.collector.config.ClusterConfig;
import io.raftwatch.collector.config.MemberConfig;
import io.raftwatch.collector.exposition.ExpositionFormat;
import io.raftwatch.collector.exposition.ExpositionFormatException;
import io.raftwatch.collector.exposition.ExpositionParser;
import io.raftwatch.collector.exposition.ParsedScrape;
import io.raftwatch.collector.scrape.ClientTls;
import io.raftwatch.collector.scrape.HttpsScraper;
import io.raftwatch.collector.scrape.ScrapeFailure;
import io.raftwatch.collector.scrape.ScrapeResponse;
import io.raftwatch.collector.scrape.Target;
import io.raftwatch.collector.scrape.TlsMaterialException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Asks every demo member, over its metrics listener and with the client certificate, whether it is
 * the leader ({@code etcd_server_is_leader}) and whether it knows one ({@code
 * etcd_server_has_leader}): how the demo waits for a leader before it starts the collector and
 * finds the leader that {@code --chaos} kills. Independent of the collector, so a demo whose
 * collector misbehaves still knows its cluster. Thread-safe (OkHttp); the main and chaos threads
 * share one.
 */
public final class LeaderProbe implements AutoCloseable {
  private final ClusterConfig cluster;
  private final HttpsScraper scraper;

  /** What one member said, or why it said nothing. */
  public record MemberView(String member, boolean up, boolean isLeader, boolean hasLeader, Optional<String> error) {}

  public LeaderProbe(ClusterConfig cluster, Clock clock) throws TlsMaterialException {
    this.cluster = cluster;
    this.scraper = new HttpsScraper(cluster, ClientTls.load(cluster.tls(), clock.instant()), clock);
  }

  /** Every member's view, in the config's order; blocks for at most the scrape timeout each. */
  public List<MemberView> probe() {
    List<MemberView> views = new ArrayList<>();
    for (MemberConfig m : cluster.members()) {
      views.add(probe(m));
    }
    return views;
  }

  /** The member that says it leads, if one does. */
  public Optional<String> leader() {
    return probe().stream().filter(MemberView::isLeader).map(MemberView::member).findFirst();
  }

  /** One member's view; {@code name} must be a member of the cluster. */
  public MemberView probe(String name) {
    return probe(cluster.members().stream().filter(m -> m.name().equals(name)).findFirst()
        .orElseThrow(() -> new IllegalArgumentException("no member " + name)));
  }

  private MemberView probe(MemberConfig member) {
    try {
      ScrapeResponse response = scraper.fetch(Target.of(cluster, member));
      ParsedScrape parsed = new ExpositionParser()
          .parse(response.body(), ExpositionFormat.fromContentType(response.contentType()));
      double isLeader = 0;
      double hasLeader = 0;
      for (int i = 0; i < parsed.size(); i++) {
        String name = parsed.labels(i).name();
        if (name.equals("etcd_server_is_leader")) {
          isLeader = parsed.value(i);
        } else if (name.equals("etcd_server_has_leader")) {
          hasLeader = parsed.value(i);
        }
      }
      return new MemberView(member.name(), true, isLeader == 1, hasLeader == 1, Optional.empty());
    } catch (ScrapeFailure e) {
      return new MemberView(member.name(), false, false, false, Optional.of(e.getMessage()));
    } catch (ExpositionFormatException e) {
      return new MemberView(member.name(), true, false, false, Optional.of("unreadable /metrics: " + e.getMessage()));
    }
  }

  @Override
  public void close() {
    scraper.close();
  }
}
