package io.raftwatch.collector.scrape;

import io.prometheus.client.CollectorRegistry;
import static org.assertj.core.api.Assertions.assertThat;

import io.raftwatch.collector.config.ClusterConfig;
import io.raftwatch.collector.config.KubernetesConfig;
import io.raftwatch.collector.config.MemberConfig;
import io.raftwatch.collector.config.TlsConfig;
import io.raftwatch.collector.fixture.EtcdCluster;
import io.raftwatch.collector.fixture.TestCertificates;
import io.raftwatch.collector.tsdb.LabelMatcher;
import io.raftwatch.collector.tsdb.SampleIterator;
import io.raftwatch.collector.tsdb.Samples;
import io.raftwatch.collector.tsdb.SeriesStore;
import io.raftwatch.collector.tsdb.SeriesView;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Scrapes a real 3-member etcd 3.4 cluster over mutual TLS, started by the test with its own
 * certificates on ephemeral loopback ports. Each way of getting it wrong shows as {@code up 0}
 * with its reason while a correctly configured cluster scraped alongside keeps working.
 * Skips when etcd is not installed (fails when CI=true).
 */
class EtcdClusterScrapeTest {
  @TempDir static Path dir;
  private static EtcdCluster etcd;
  private final Clock clock = Clock.systemUTC();
  private final SeriesStore store = new SeriesStore(100_000);
  private final CollectorRegistry registry = new CollectorRegistry();
  private final ScrapeMetrics metrics = new ScrapeMetrics(registry);

  @BeforeAll
  static void startEtcd() throws Exception {
    etcd = EtcdCluster.start(dir.resolve("etcd"), 3);
  }

  @AfterAll
  static void stopEtcd() {
    if (etcd != null) {
      etcd.close();
    }
  }

  @Test
  void everyMemberIsUpWithTheSeedMetricsStored() throws Exception {
    List<TargetHealth> health = scrape(cluster("good", goodTls(), etcd.metricsUrls()));

    assertThat(health).allSatisfy(h -> {
      assertThat(h.lastError()).isEmpty();
      assertThat(h.up()).isTrue();
      assertThat(h.samplesScraped()).isGreaterThan(1000); // ~1,290 at idle
      assertThat(h.seriesAdded()).isEqualTo(h.samplesScraped());
    });
    for (String seed : List.of("etcd_server_has_leader", "etcd_server_leader_changes_seen_total",
        "etcd_disk_wal_fsync_duration_seconds_bucket", "etcd_mvcc_db_total_size_in_bytes",
        "etcd_debugging_mvcc_db_total_size_in_bytes", "etcd_server_quota_backend_bytes",
        "process_open_fds", "process_max_fds", "process_resident_memory_bytes",
        "grpc_server_handled_total", "etcd_network_client_grpc_received_bytes_total")) {
      assertThat(membersWith(seed)).as(seed).containsExactlyInAnyOrder("member-1", "member-2", "member-3");
    }
    assertThat(latest("etcd_server_has_leader")).containsOnly(1.0);
    assertThat(latest("etcd_server_is_leader")).containsExactlyInAnyOrder(1.0, 0.0, 0.0);
    assertThat(latest("up")).containsExactly(1.0, 1.0, 1.0);
  }

  @Test
  void clientPortServesMetricsToo() throws Exception {
    List<TargetHealth> health = scrape(cluster("client-port", goodTls(), etcd.clientUrls()));

    assertThat(health).allSatisfy(h -> assertThat(h.up()).as(h.lastError().orElse("")).isTrue());
  }

  @Test
  void wrongCaIsUnknownAuthorityAndTheGoodClusterKeepsWorking() throws Exception {
    TestCertificates certs = etcd.certificates();
    TlsConfig wrongCa = tls(certs.otherCaFile(), Optional.of(certs.clientFiles()));

    List<TargetHealth> bad = scrapeBesideGoodCluster(cluster("wrong-ca", wrongCa, etcd.metricsUrls()));

    assertThat(bad).allSatisfy(h -> {
      assertThat(h.up()).isFalse();
      assertThat(h.lastError().orElseThrow()).isEqualTo(h.target().url()
          + ": TLS handshake failed: certificate signed by unknown authority");
    });
  }

  @Test
  void missingClientCertificateIsRejectedByTheServer() throws Exception {
    TlsConfig noCert = tls(etcd.certificates().caFile(), Optional.empty());

    List<TargetHealth> bad = scrapeBesideGoodCluster(cluster("no-cert", noCert, etcd.metricsUrls()));

    assertThat(bad).allSatisfy(h -> {
      assertThat(h.up()).isFalse();
      assertThat(h.lastError().orElseThrow())
          .startsWith(h.target().url() + ": the server rejected our client certificate (or we sent none)")
          .endsWith("we sent none, as no client certificate is configured");
    });
  }

  @Test
  void expiredClientCertificateIsRejectedAndSaysSo() throws Exception {
    TestCertificates.PemPair expired = etcd.certificates().expiredClient();
    TlsConfig expiredTls = tls(etcd.certificates().caFile(), Optional.of(expired));

    List<TargetHealth> bad = scrapeBesideGoodCluster(cluster("expired", expiredTls, etcd.metricsUrls()));

    assertThat(bad).allSatisfy(h -> {
      assertThat(h.up()).isFalse();
      assertThat(h.lastError().orElseThrow())
          .startsWith(h.target().url() + ": the server rejected our client certificate (or we sent none)")
          .contains("our client certificate in " + expired.cert() + " expired at ");
    });
  }

  @Test
  void stoppedMemberIsDownWithStaleSeriesWhileTheOthersStayUp() throws Exception {
    ClusterConfig config = cluster("failover", goodTls(), etcd.metricsUrls());
    try (ClusterScraper scraper = ClusterScraper.create(config, store, clock, metrics)) {
      assertThat(scraper.scrapeAndWait()).allMatch(TargetHealth::up);
      etcd.stop(3);
      try {
        List<TargetHealth> health = scraper.scrapeAndWait();

        assertThat(health.subList(0, 2)).allMatch(TargetHealth::up);
        TargetHealth down = health.get(2);
        assertThat(down.up()).isFalse();
        assertThat(down.lastError()).contains(down.target().url() + ": connection refused");
        assertThat(lastValue("etcd_server_has_leader", "member-3")).matches(Samples::isStale);
        assertThat(lastValue("etcd_server_has_leader", "member-1")).isEqualTo(1.0);
        assertThat(lastValue("up", "member-3")).isEqualTo(0.0);
      } finally {
        etcd.restart(3);
      }
      assertThat(scraper.scrapeAndWait()).allMatch(TargetHealth::up);
      assertThat(lastValue("etcd_server_has_leader", "member-3")).isEqualTo(1.0);
    }
  }

  private List<TargetHealth> scrape(ClusterConfig config) throws Exception {
    try (ClusterScraper scraper = ClusterScraper.create(config, store, clock, metrics)) {
      return scraper.scrapeAndWait();
    }
  }

  /** Scrapes {@code bad} and a correctly configured cluster at once, into one store. */
  private List<TargetHealth> scrapeBesideGoodCluster(ClusterConfig bad) throws Exception {
    try (ClusterScraper badScraper = ClusterScraper.create(bad, store, clock, metrics);
        ClusterScraper goodScraper = ClusterScraper.create(cluster("good", goodTls(), etcd.metricsUrls()), store, clock, metrics)) {
      var badFutures = badScraper.scrape();
      var goodFutures = goodScraper.scrape();
      List<TargetHealth> good = goodFutures.stream().map(f -> f.join()).toList();
      assertThat(good).allSatisfy(h -> assertThat(h.up()).as(h.lastError().orElse("")).isTrue());
      return badFutures.stream().map(f -> f.join()).toList();
    }
  }

  private static TlsConfig goodTls() {
    return tls(etcd.certificates().caFile(), Optional.of(etcd.certificates().clientFiles()));
  }

  private static TlsConfig tls(Path ca, Optional<TestCertificates.PemPair> client) {
    return new TlsConfig(Optional.of(ca), client.map(TestCertificates.PemPair::cert),
        client.map(TestCertificates.PemPair::key), Optional.empty(), false);
  }

  private static ClusterConfig cluster(String name, TlsConfig tls, List<URI> urls) {
    List<MemberConfig> members = new ArrayList<>();
    for (int i = 0; i < urls.size(); i++) {
      members.add(new MemberConfig("member-" + (i + 1), urls.get(i), Optional.empty()));
    }
    return new ClusterConfig(name, "etcd", members, Optional.of(tls), Map.of(),
        Duration.ofSeconds(15), Duration.ofSeconds(5), ClusterConfig.DEFAULT_BODY_SIZE_LIMIT,
        List.of(), new KubernetesConfig("monitoring", Map.of(), name,
            KubernetesConfig.MetricsPort.METRICS, name + "-client-tls", Optional.empty(), Map.of(),
            Map.of(), false));
  }

  private List<SeriesView> select(String name, LabelMatcher... more) {
    List<LabelMatcher> matchers = new ArrayList<>(List.of(more));
    matchers.add(LabelMatcher.eq("__name__", name));
    return store.select(Long.MIN_VALUE, Long.MAX_VALUE, matchers);
  }

  private List<String> membersWith(String name) {
    return select(name, LabelMatcher.eq("cluster", "good")).stream()
        .map(v -> v.labels().get("member")).distinct().toList();
  }

  /** The last value of each series of {@code name} in the cluster "good". */
  private List<Double> latest(String name) {
    return select(name, LabelMatcher.eq("cluster", "good")).stream()
        .map(v -> last(v)).toList();
  }

  private double lastValue(String name, String member) {
    List<SeriesView> views = select(name, LabelMatcher.eq("cluster", "failover"),
        LabelMatcher.eq("member", member));
    assertThat(views).hasSize(1);
    return last(views.get(0));
  }

  private static double last(SeriesView v) {
    SampleIterator it = v.samples();
    double value = Double.NaN;
    while (it.next()) {
      value = it.value();
    }
    return value;
  }
}
