package io.raftwatch.collector.scrape;

import io.prometheus.client.CollectorRegistry;
import static org.assertj.core.api.Assertions.assertThat;

import io.raftwatch.collector.config.ClusterConfig;
import io.raftwatch.collector.config.KubernetesConfig;
import io.raftwatch.collector.config.MemberConfig;
import io.raftwatch.collector.fixture.ManualClock;
import io.raftwatch.collector.tsdb.LabelMatcher;
import io.raftwatch.collector.tsdb.Labels;
import io.raftwatch.collector.tsdb.SampleIterator;
import io.raftwatch.collector.tsdb.Samples;
import io.raftwatch.collector.tsdb.SeriesStore;
import io.raftwatch.collector.tsdb.SeriesView;
import java.net.InetAddress;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The scrape pipeline into a real {@link SeriesStore}: target labels, report series, staleness
 * markers as Prometheus writes them, all-or-nothing bodies, and members that do not wait for each
 * other. Plain HTTP here; TLS is {@link HttpsScraperTest}'s subject.
 */
class ClusterScraperTest {
  private static final Instant T0 = Instant.parse("2026-11-24T12:00:00Z");
  private final ManualClock clock = new ManualClock(T0);
  private final SeriesStore store = new SeriesStore(100_000);
  private final CollectorRegistry registry = new CollectorRegistry();
  private final ScrapeMetrics metrics = new ScrapeMetrics(registry);
  private MockWebServer server;

  @BeforeEach
  void start() throws Exception {
    server = new MockWebServer();
    server.start(InetAddress.getByName("127.0.0.1"), 0);
  }

  @AfterEach
  void stop() {
    server.close();
  }

  @Test
  void samplesAreStoredWithTargetLabelsAndReportSeries() throws Exception {
    server.enqueue(ok("""
        # TYPE etcd_server_has_leader gauge
        etcd_server_has_leader 1
        # TYPE etcd_server_is_leader gauge
        etcd_server_is_leader{job="exposed"} 1
        """));
    try (ClusterScraper scraper = ClusterScraper.create(cluster(url()), store, clock, metrics)) {
      TargetHealth health = scraper.scrapeAndWait().get(0);

      assertThat(health.up()).isTrue();
      assertThat(health.lastError()).isEmpty();
      assertThat(health.samplesScraped()).isEqualTo(2);
      assertThat(health.seriesAdded()).isEqualTo(2);
    }
    String instance = server.getHostName() + ":" + server.getPort();
    Labels target = Labels.of("job", "etcd", "instance", instance, "cluster", "test",
        "member", "member-1", "env", "dev");
    assertThat(samples("etcd_server_has_leader")).containsExactly(
        sample(target.toBuilder().set("__name__", "etcd_server_has_leader").build(), T0, 1));
    // An exposed label that clashes with a target label is kept as exported_<name>.
    assertThat(samples("etcd_server_is_leader")).containsExactly(sample(target.toBuilder()
        .set("__name__", "etcd_server_is_leader").set("exported_job", "exposed").build(), T0, 1));
    assertThat(samples("up")).containsExactly(sample(withName(target, "up"), T0, 1));
    assertThat(samples("scrape_samples_scraped"))
        .containsExactly(sample(withName(target, "scrape_samples_scraped"), T0, 2));
    assertThat(samples("scrape_series_added"))
        .containsExactly(sample(withName(target, "scrape_series_added"), T0, 2));
    assertThat(samples("scrape_duration_seconds")).hasSize(1);
  }

  @Test
  void vanishedSeriesAndFailedTargetsGetStaleMarkers() throws Exception {
    server.enqueue(ok("a 1\nb 1\n"));
    server.enqueue(ok("a 2\n"));
    server.enqueue(new MockResponse.Builder().code(500).body("oops").build());
    server.enqueue(ok("a 4\nb 4\n"));
    try (ClusterScraper scraper = ClusterScraper.create(cluster(url()), store, clock, metrics)) {
      scraper.scrapeAndWait();
      clock.advance(Duration.ofSeconds(15));
      scraper.scrapeAndWait();
      clock.advance(Duration.ofSeconds(15));
      TargetHealth failed = scraper.scrapeAndWait().get(0);
      clock.advance(Duration.ofSeconds(15));
      TargetHealth back = scraper.scrapeAndWait().get(0);

      assertThat(failed.up()).isFalse();
      assertThat(failed.lastError()).contains(url() + ": server returned HTTP 500 Server Error");
      assertThat(back.up()).isTrue();
      assertThat(back.seriesAdded()).isZero();
    }
    assertThat(registry.getSampleValue("raftwatch_collector_scrapes_total",
        new String[] {"cluster", "result"}, new String[] {"test", "up"})).isEqualTo(3.0);
    assertThat(registry.getSampleValue("raftwatch_collector_scrapes_total",
        new String[] {"cluster", "result"}, new String[] {"test", "down"})).isEqualTo(1.0);
    assertThat(registry.getSampleValue("raftwatch_collector_scrape_samples_total",
        new String[] {"cluster"}, new String[] {"test"})).isEqualTo(5.0);
    // b vanished at 15s; a failed scrape at 30s marks every series of the last good one (a).
    assertThat(valuesOf("a")).containsExactly("0s=1.0", "15s=2.0", "30s=stale", "45s=4.0");
    assertThat(valuesOf("b")).containsExactly("0s=1.0", "15s=stale", "45s=4.0");
    assertThat(valuesOf("up")).containsExactly("0s=1.0", "15s=1.0", "30s=0.0", "45s=1.0");
    assertThat(valuesOf("scrape_samples_scraped")).containsExactly("0s=2.0", "15s=1.0", "30s=0.0", "45s=2.0");
  }

  @Test
  void scrapesStartingWithinToleranceStampEverySampleWithTheirScheduledTime() throws Exception {
    server.enqueue(ok("a 1\nb 1\n"));
    server.enqueue(ok("a 2\n"));
    server.enqueue(new MockResponse.Builder().code(500).body("oops").build());
    server.enqueue(ok("a 4\nb 4\n"));
    List<Instant> scrapeTimes = new ArrayList<>();
    try (ClusterScraper scraper = ClusterScraper.create(cluster(url()), store, clock, metrics)) {
      clock.advance(Duration.ofNanos(400_000));
      scrapeTimes.add(scraper.scrapeAndWait().get(0).scrapeTime());
      clock.advance(Duration.ofSeconds(15).plusNanos(1_100_000));
      scrapeTimes.add(scraper.scrapeAndWait().get(0).scrapeTime());
      clock.advance(Duration.ofSeconds(15).plusNanos(500_000));
      TargetHealth failed = scraper.scrapeAndWait().get(0);
      scrapeTimes.add(failed.scrapeTime());
      clock.advance(Duration.ofSeconds(15).minusNanos(1_000_000));
      scrapeTimes.add(scraper.scrapeAndWait().get(0).scrapeTime());

      assertThat(failed.up()).isFalse();
    }
    // First scrape at its real start (0.4 ms); the rest 1.1, 1.6 and 0.6 ms late: on schedule.
    assertThat(scrapeTimes).containsExactly(T0.plusNanos(400_000), T0.plusSeconds(15).plusNanos(400_000),
        T0.plusSeconds(30).plusNanos(400_000), T0.plusSeconds(45).plusNanos(400_000));
    // Stale markers, of a vanished series and after a failed scrape, carry the same stamps.
    assertThat(millisOf("a")).containsExactly("0=1.0", "15000=2.0", "30000=stale", "45000=4.0");
    assertThat(millisOf("b")).containsExactly("0=1.0", "15000=stale", "45000=4.0");
    assertThat(millisOf("up")).containsExactly("0=1.0", "15000=1.0", "30000=0.0", "45000=1.0");
    assertThat(millisOf("scrape_duration_seconds")).hasSize(4).allMatch(s -> s.endsWith("=0.0"));
  }

  @Test
  void scrapesStartingBeyondToleranceKeepTheirRealTimeAndTheSchedule() throws Exception {
    server.enqueue(ok("a 1\n"));
    server.enqueue(ok("a 2\n"));
    server.enqueue(ok("a 3\n"));
    try (ClusterScraper scraper = ClusterScraper.create(cluster(url()), store, clock, metrics)) {
      scraper.scrapeAndWait();
      clock.advance(Duration.ofMillis(15_003));
      assertThat(scraper.scrapeAndWait().get(0).scrapeTime()).isEqualTo(T0.plusMillis(15_003));
      clock.advance(Duration.ofMillis(14_999));
      scraper.scrapeAndWait();
    }
    assertThat(millisOf("a")).containsExactly("0=1.0", "15003=2.0", "30000=3.0");
    assertThat(millisOf("up")).containsExactly("0=1.0", "15003=1.0", "30000=1.0");
  }

  @Test
  void timestampToleranceIsConfigurable() throws Exception {
    server.enqueue(ok("a 1\n"));
    server.enqueue(ok("a 2\n"));
    try (ClusterScraper scraper =
        ClusterScraper.create(cluster(url()), store, clock, metrics, Duration.ofMillis(5))) {
      scraper.scrapeAndWait();
      clock.advance(Duration.ofMillis(15_004));
      scraper.scrapeAndWait();
    }
    assertThat(millisOf("a")).containsExactly("0=1.0", "15000=2.0");
  }

  @Test
  void openMetricsBodiesAreReadAsOpenMetrics() throws Exception {
    server.enqueue(new MockResponse.Builder()
        .setHeader("Content-Type", "application/openmetrics-text; version=1.0.0; charset=utf-8")
        .body("""
            # TYPE etcd_server_leader_changes_seen counter
            etcd_server_leader_changes_seen_total 1
            # EOF
            """).build());
    try (ClusterScraper scraper = ClusterScraper.create(cluster(url()), store, clock, metrics)) {
      assertThat(scraper.scrapeAndWait().get(0).up()).isTrue();
    }
    assertThat(valuesOf("etcd_server_leader_changes_seen_total")).containsExactly("0s=1.0");
  }

  @Test
  void openMetricsWithoutEofIsRefusedWhole() throws Exception {
    server.enqueue(new MockResponse.Builder()
        .setHeader("Content-Type", "application/openmetrics-text; version=1.0.0")
        .body("a 1\n").build());
    try (ClusterScraper scraper = ClusterScraper.create(cluster(url()), store, clock, metrics)) {
      TargetHealth h = scraper.scrapeAndWait().get(0);
      assertThat(h.up()).isFalse();
      assertThat(h.lastError().orElseThrow()).contains("malformed exposition, nothing stored: line 2");
    }
    assertThat(valuesOf("a")).isEmpty();
  }

  @Test
  void malformedBodyStoresNothingAndSaysWhichLine() throws Exception {
    server.enqueue(ok("a 1\n"));
    server.enqueue(ok("a 2\nb{x=\"1\" 2\n"));
    try (ClusterScraper scraper = ClusterScraper.create(cluster(url()), store, clock, metrics)) {
      scraper.scrapeAndWait();
      clock.advance(Duration.ofSeconds(15));
      TargetHealth bad = scraper.scrapeAndWait().get(0);

      assertThat(bad.up()).isFalse();
      assertThat(bad.lastError().orElseThrow())
          .startsWith(url() + ": malformed exposition, nothing stored: line 2: ");
    }
    assertThat(valuesOf("a")).containsExactly("0s=1.0", "15s=stale");
    assertThat(valuesOf("b")).isEmpty();
  }

  @Test
  void slowMemberDoesNotDelayTheOthersAndIsNotScrapedTwiceAtOnce() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    server.setDispatcher(new Dispatcher() {
      @Override
      public MockResponse dispatch(RecordedRequest request) throws InterruptedException {
        if (request.getUrl().encodedPath().equals("/slow")) {
          release.await(10, TimeUnit.SECONDS);
        }
        return ok("a 1\n");
      }
    });
    URI slow = URI.create(server.url("/slow").toString());
    URI fast = URI.create(server.url("/fast").toString());
    try (ClusterScraper scraper = ClusterScraper.create(cluster(slow, fast), store, clock, metrics)) {
      List<CompletableFuture<TargetHealth>> first = scraper.scrape();

      TargetHealth fastHealth = first.get(1).get(5, TimeUnit.SECONDS);
      assertThat(fastHealth.up()).isTrue();
      assertThat(first.get(0)).isNotDone();
      List<CompletableFuture<TargetHealth>> second = scraper.scrape();
      assertThat(second.get(0)).isSameAs(first.get(0));
      assertThat(second.get(1).get(5, TimeUnit.SECONDS).up()).isTrue();

      release.countDown();
      assertThat(first.get(0).get(5, TimeUnit.SECONDS).up()).isTrue();
    }
    assertThat(server.getRequestCount()).isEqualTo(3);
  }

  private String url() {
    return server.url("/metrics").toString();
  }

  private static MockResponse ok(String body) {
    return new MockResponse.Builder().setHeader("Content-Type", "text/plain; version=0.0.4")
        .body(body).build();
  }

  private ClusterConfig cluster(String url) {
    return cluster(URI.create(url));
  }

  private static ClusterConfig cluster(URI... urls) {
    List<MemberConfig> members = new ArrayList<>();
    for (int i = 0; i < urls.length; i++) {
      members.add(new MemberConfig("member-" + (i + 1), urls[i], Optional.empty()));
    }
    return new ClusterConfig("test", "etcd", members, Optional.empty(), Map.of("env", "dev"),
        Duration.ofSeconds(15), Duration.ofSeconds(10), ClusterConfig.DEFAULT_BODY_SIZE_LIMIT,
        List.of(), new KubernetesConfig("monitoring", Map.of(), "test",
            KubernetesConfig.MetricsPort.CLIENT, "test-client-tls", Optional.empty(), Map.of(),
            Map.of(), false));
  }

  private static Labels withName(Labels labels, String name) {
    return labels.toBuilder().set("__name__", name).build();
  }

  private static String sample(Labels labels, Instant t, double v) {
    return labels + " @" + t + " = " + v;
  }

  private List<String> samples(String name) {
    List<String> out = new ArrayList<>();
    for (SeriesView view : select(name)) {
      SampleIterator it = view.samples();
      while (it.next()) {
        out.add(sample(view.labels(), Instant.ofEpochMilli(it.timestamp()), it.value()));
      }
    }
    return out;
  }

  /** The samples of the one series named {@code name}, as "15s=2.0" relative to T0. */
  private List<String> valuesOf(String name) {
    List<String> out = new ArrayList<>();
    for (SeriesView view : select(name)) {
      SampleIterator it = view.samples();
      while (it.next()) {
        long s = (it.timestamp() - T0.toEpochMilli()) / 1000;
        out.add(s + "s=" + (Samples.isStale(it.value()) ? "stale" : String.valueOf(it.value())));
      }
    }
    return out;
  }

  /** The samples of the one series named {@code name}, as "15000=2.0" in ms relative to T0. */
  private List<String> millisOf(String name) {
    List<String> out = new ArrayList<>();
    for (SeriesView view : select(name)) {
      SampleIterator it = view.samples();
      while (it.next()) {
        long ms = it.timestamp() - T0.toEpochMilli();
        out.add(ms + "=" + (Samples.isStale(it.value()) ? "stale" : String.valueOf(it.value())));
      }
    }
    return out;
  }

  private List<SeriesView> select(String name) {
    return store.select(Long.MIN_VALUE, Long.MAX_VALUE, List.of(LabelMatcher.eq("__name__", name)));
  }
}
