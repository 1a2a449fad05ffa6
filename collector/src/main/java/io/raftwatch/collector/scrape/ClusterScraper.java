package io.raftwatch.collector.scrape;

import io.raftwatch.collector.config.ClusterConfig;
import io.raftwatch.collector.config.MemberConfig;
import io.raftwatch.collector.tsdb.SeriesStore;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Scrapes every member of one cluster into the store, in parallel: one thread per member, so a
 * slow or hanging member (bounded by the scrape timeout) never delays the others, and one HTTP
 * client, hence one connection pool, for the cluster.
 *
 * <p>Called by the CLI and by the scheduler's scrape job, from any thread. A member whose previous
 * scrape is still running is skipped rather than queued, as Prometheus never overlaps scrapes of
 * one target. {@link #close()} stops the threads and the connections.
 */
public final class ClusterScraper implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ClusterScraper.class);
  /** Prometheus's default {@code --scrape.timestamp-tolerance}. */
  public static final Duration DEFAULT_TIMESTAMP_TOLERANCE = Duration.ofMillis(2);

  private final ClusterConfig cluster;
  private final HttpsScraper scraper;
  private final List<ScrapeLoop> loops = new ArrayList<>();
  private final ExecutorService executor;
  private final ConcurrentHashMap<ScrapeLoop, CompletableFuture<TargetHealth>> running =
      new ConcurrentHashMap<>();

  private ClusterScraper(ClusterConfig cluster, ClientTls tls, SeriesStore store, Clock clock,
      ScrapeMetrics metrics, Duration timestampTolerance) {
    this.cluster = cluster;
    this.scraper = new HttpsScraper(cluster, tls, clock);
    for (MemberConfig member : cluster.members()) {
      loops.add(new ScrapeLoop(Target.of(cluster, member), scraper, store, clock, metrics,
          new ScrapeTimestamps(cluster.scrapeInterval(), timestampTolerance)));
    }
    AtomicInteger n = new AtomicInteger();
    this.executor = Executors.newFixedThreadPool(loops.size(), r -> {
      Thread t = new Thread(r, "scrape-" + cluster.name() + "-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    });
  }

  /**
   * As {@link #create(ClusterConfig, SeriesStore, Clock, ScrapeMetrics, Duration)} with
   * Prometheus's default timestamp tolerance, 2 ms.
   *
   * @throws TlsMaterialException when a TLS file is missing, unreadable or does not fit its key
   */
  public static ClusterScraper create(
      ClusterConfig cluster, SeriesStore store, Clock clock, ScrapeMetrics metrics)
      throws TlsMaterialException {
    return create(cluster, store, clock, metrics, DEFAULT_TIMESTAMP_TOLERANCE);
  }

  /**
   * Reads the cluster's TLS files (reporting their problems before the first scrape) and prepares
   * one scrape loop per member. Certificates that are expired or not yet valid are logged as
   * warnings; {@code insecureSkipVerify} is logged loudly.
   *
   * @param timestampTolerance how late after its scheduled time a member's scrape may start and
   *     still stamp its samples with that time, as Prometheus's {@code
   *     --scrape.timestamp-tolerance}: exact 15 s steps compress to about a bit per timestamp,
   *     jittered ones to bytes. Clamped to 1% of the scrape interval; zero turns alignment off.
   * @throws TlsMaterialException when a TLS file is missing, unreadable or does not fit its key
   * @throws IllegalArgumentException when {@code timestampTolerance} is negative
   */
  public static ClusterScraper create(ClusterConfig cluster, SeriesStore store, Clock clock,
      ScrapeMetrics metrics, Duration timestampTolerance) throws TlsMaterialException {
    ClientTls tls = ClientTls.load(cluster.tls(), clock.instant());
    for (String warning : tls.warnings()) {
      log.warn("cluster {}: {}", cluster.name(), warning);
    }
    if (tls.insecureSkipVerify()) {
      log.warn("cluster {}: tls.insecureSkipVerify is on: the members' server certificates are NOT "
          + "verified, so anyone on the network path can impersonate them", cluster.name());
    }
    return new ClusterScraper(cluster, tls, store, clock, metrics, timestampTolerance);
  }

  public ClusterConfig cluster() {
    return cluster;
  }

  /**
   * Starts a scrape of every member not still busy with the previous one; each future completes
   * when its member's samples are stored (or its failure recorded), independently of the others.
   */
  public List<CompletableFuture<TargetHealth>> scrape() {
    return loops.stream().map(this::submit).toList();
  }

  /**
   * Starts a scrape of one member, unless its previous one is still running (then returns that);
   * for schedulers that spread members over the interval, as Prometheus offsets each target.
   *
   * @throws IllegalArgumentException when the cluster has no such member
   */
  public CompletableFuture<TargetHealth> scrape(String member) {
    return submit(loops.stream().filter(l -> l.target().member().equals(member)).findFirst()
        .orElseThrow(() -> new IllegalArgumentException("no member " + member + " in " + cluster.name())));
  }

  private CompletableFuture<TargetHealth> submit(ScrapeLoop loop) {
    return running.compute(loop, (l, inFlight) -> {
      if (inFlight != null && !inFlight.isDone()) {
        log.info("{}: previous scrape still running, skipping this one", l.target().url());
        return inFlight;
      }
      return CompletableFuture.supplyAsync(l::scrape, executor);
    });
  }

  /** Scrapes every member once and waits for all of them; in member order. */
  public List<TargetHealth> scrapeAndWait() {
    return scrape().stream().map(CompletableFuture::join).toList();
  }

  /** The last outcome of each member, in member order. */
  public List<TargetHealth> health() {
    return loops.stream().map(ScrapeLoop::health).toList();
  }

  @Override
  public void close() {
    executor.shutdownNow();
    scraper.close();
  }
}
