package io.raftwatch.collector.scrape;

import io.prometheus.client.CollectorRegistry;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.raftwatch.collector.config.ClusterConfig;
import io.raftwatch.collector.config.KubernetesConfig;
import io.raftwatch.collector.config.MemberConfig;
import io.raftwatch.collector.config.TlsConfig;
import io.raftwatch.collector.exposition.ExpositionFormat;
import io.raftwatch.collector.exposition.ExpositionParser;
import io.raftwatch.collector.fixture.EtcdCluster;
import io.raftwatch.collector.tsdb.SeriesStore;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;

/**
 * Side-by-side scrape cost of Debian's Prometheus and raftwatch on the same payload: a real
 * 3-member etcd 3.4 cluster over mutual TLS (started here, loopback, ephemeral ports), scraped at
 * the same interval by a real {@code prometheus} process and by {@link ClusterScraper}; then the
 * parser alone on the bodies just fetched. Prints medians and ratios.
 *
 * <p>A measurement, not a test: run it with {@code bin/bench-scrape [SECONDS]}. Both collectors
 * measure {@code scrape_duration_seconds} the same way (fetch, inflate, parse, append; Prometheus's
 * {@code scrapeAndReport} reports {@code time.Since(start)} after appending), so their ratio is
 * like for like; "parse only" has no counterpart in Prometheus and is shown per byte.
 */
public final class PrometheusScrapeComparison {
  private static final Duration INTERVAL = Duration.ofSeconds(1);

  private PrometheusScrapeComparison() {}

  public static void main(String[] args) throws Exception {
    int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 60;
    for (String[] tool : new String[][] {{"etcd", "etcd-server"}, {"prometheus", "prometheus"}}) {
      if (Stream.of(System.getenv("PATH").split(":")).noneMatch(p -> Files.isExecutable(Path.of(p, tool[0])))) {
        System.err.println("bench-scrape: " + tool[0] + " is not on the PATH (Debian package " + tool[1] + ")");
        System.exit(2);
      }
    }
    Path dir = Files.createTempDirectory("raftwatch-bench-scrape-");
    Process prometheus = null;
    try (EtcdCluster etcd = EtcdCluster.start(dir.resolve("etcd"), 3)) {
      int port = freePort();
      prometheus = startPrometheus(dir, etcd, port);
      OkHttpClient http = new OkHttpClient.Builder().callTimeout(5, TimeUnit.SECONDS).build();
      awaitReady(http, port, prometheus, dir);

      ClusterConfig cluster = cluster(etcd);
      SeriesStore store = new SeriesStore(1_000_000);
      List<Double> ours = new ArrayList<>();
      List<ScrapeResponse> bodies = new ArrayList<>();
      List<Double> fetchOnly = new ArrayList<>();
      Clock clock = Clock.systemUTC();
      Instant start = Instant.now();
      ScrapeMetrics metrics = new ScrapeMetrics(new CollectorRegistry());
      try (ClusterScraper scraper = ClusterScraper.create(cluster, store, clock, metrics);
          HttpsScraper fetcher = new HttpsScraper(cluster, ClientTls.load(cluster.tls(), clock.instant()), clock)) {
        // Warm up (JIT, connections) before measuring, as a long-running Prometheus is warm.
        for (int i = 0; i < 100; i++) {
          scraper.scrapeAndWait();
        }
        Instant measureFrom = Instant.now();
        Instant end = measureFrom.plusSeconds(seconds);
        System.err.printf(Locale.ROOT, "bench-scrape: scraping for %ds at %s...%n", seconds, INTERVAL);
        // Members are spread over the interval, as Prometheus offsets each target's scrapes.
        List<String> names = cluster.members().stream().map(MemberConfig::name).toList();
        Duration slot = INTERVAL.dividedBy(names.size());
        int k = 0;
        for (Instant next = measureFrom; next.isBefore(end); next = next.plus(slot), k++) {
          long wait = Duration.between(Instant.now(), next).toMillis();
          if (wait > 0) {
            Thread.sleep(wait);
          }
          TargetHealth h = scraper.scrape(names.get(k % names.size())).join();
          if (!h.up()) {
            throw new IllegalStateException("raftwatch scrape failed: " + h.lastError().orElse(""));
          }
          ours.add(h.duration().toNanos() / 1e9);
        }
        List<Target> targets = cluster.members().stream().map(m -> Target.of(cluster, m)).toList();
        for (Target target : targets) {
          bodies.add(fetcher.fetch(target));
        }
        // The HTTP part alone, one member at a time, for where the time goes.
        for (int i = 0; i < 60; i++) {
          long t0 = System.nanoTime();
          fetcher.fetch(targets.get(i % targets.size()));
          fetchOnly.add((System.nanoTime() - t0) / 1e9);
          Thread.sleep(slot.toMillis());
        }
      }
      long window = Duration.between(start, Instant.now()).toSeconds() + 1;
      double promMedian = promQuery(http, port,
          "quantile(0.5, quantile_over_time(0.5, scrape_duration_seconds{job=\"etcd\"}[" + window + "s]))");
      double promMean = promQuery(http, port,
          "sum(sum_over_time(scrape_duration_seconds{job=\"etcd\"}[" + window + "s])) / "
              + "sum(count_over_time(scrape_duration_seconds{job=\"etcd\"}[" + window + "s]))");
      double promCount = promQuery(http, port,
          "sum(count_over_time(scrape_duration_seconds{job=\"etcd\"}[" + window + "s]))");
      double promUp = promQuery(http, port, "min(min_over_time(up{job=\"etcd\"}[" + window + "s]))");
      double promSamples = promQuery(http, port, "avg(scrape_samples_scraped{job=\"etcd\"})");

      double[] parse = parseOnly(bodies);
      double bytes = bodies.stream().mapToInt(b -> b.body().length).average().orElse(0);

      double ourMedian = median(ours);
      double ourMean = ours.stream().mapToDouble(d -> d).average().orElse(0);
      System.out.printf(Locale.ROOT, "%nscrape cost on the same payload: 3 etcd 3.4 members over mTLS "
          + "on loopback, %s interval, %ds window%n", INTERVAL, seconds);
      System.out.printf(Locale.ROOT, "payload per member: %.0f bytes (uncompressed), %.0f samples "
          + "(Prometheus's scrape_samples_scraped: %.0f)%n", bytes, avgSamples(bodies), promSamples);
      System.out.printf(Locale.ROOT, "%-44s %10s %10s %8s %12s%n", "", "median", "mean", "scrapes", "MB/s(median)");
      row("prometheus 2.42 scrape_duration_seconds", promMedian, promMean, (long) promCount, bytes);
      row("raftwatch scrape_duration_seconds", ourMedian, ourMean, ours.size(), bytes);
      row("raftwatch fetch only (HttpsScraper, TLS+gzip)", median(fetchOnly),
          fetchOnly.stream().mapToDouble(d -> d).average().orElse(0), fetchOnly.size(), bytes);
      row("raftwatch parse only (ExpositionParser)", parse[0], parse[1], (long) parse[2], bytes);
      System.out.printf(Locale.ROOT, "ratio raftwatch/prometheus, whole scrape (median): %.2f%n", ourMedian / promMedian);
      System.out.printf(Locale.ROOT, "ratio raftwatch parse only / prometheus whole scrape (median): %.2f%n",
          parse[0] / promMedian);
      System.out.printf(Locale.ROOT, "(below 1 means raftwatch is faster; prometheus up over the window: %.0f)%n", promUp);
    } finally {
      if (prometheus != null) {
        prometheus.destroy();
        if (!prometheus.waitFor(10, TimeUnit.SECONDS)) {
          prometheus.destroyForcibly().waitFor();
        }
      }
      deleteTree(dir);
    }
    System.exit(0);
  }

  private static void row(String name, double median, double mean, long n, double bytes) {
    System.out.printf(Locale.ROOT, "%-44s %8.3fms %8.3fms %8d %12.1f%n", name, median * 1e3, mean * 1e3, n,
        bytes / median / 1e6);
  }

  /** Median and mean seconds of one parse of each body, after warm-up; and the count. */
  private static double[] parseOnly(List<ScrapeResponse> bodies) throws Exception {
    ExpositionParser parser = new ExpositionParser();
    for (int i = 0; i < 2000; i++) {
      ScrapeResponse r = bodies.get(i % bodies.size());
      parser.parse(r.body(), ExpositionFormat.fromContentType(r.contentType()));
    }
    List<Double> times = new ArrayList<>();
    for (int i = 0; i < 3000; i++) {
      ScrapeResponse r = bodies.get(i % bodies.size());
      long t0 = System.nanoTime();
      parser.parse(r.body(), ExpositionFormat.fromContentType(r.contentType()));
      times.add((System.nanoTime() - t0) / 1e9);
    }
    return new double[] {median(times), times.stream().mapToDouble(d -> d).average().orElse(0), times.size()};
  }

  private static double avgSamples(List<ScrapeResponse> bodies) throws Exception {
    ExpositionParser parser = new ExpositionParser();
    double total = 0;
    for (ScrapeResponse r : bodies) {
      total += parser.parse(r.body(), ExpositionFormat.fromContentType(r.contentType())).size();
    }
    return total / bodies.size();
  }

  private static double median(List<Double> values) {
    double[] sorted = values.stream().mapToDouble(d -> d).sorted().toArray();
    return sorted.length == 0 ? Double.NaN : sorted[sorted.length / 2];
  }

  private static ClusterConfig cluster(EtcdCluster etcd) {
    List<MemberConfig> members = new ArrayList<>();
    List<URI> urls = etcd.metricsUrls();
    for (int i = 0; i < urls.size(); i++) {
      members.add(new MemberConfig("member-" + (i + 1), urls.get(i), Optional.empty()));
    }
    var certs = etcd.certificates();
    TlsConfig tls = new TlsConfig(Optional.of(certs.caFile()), Optional.of(certs.clientFiles().cert()),
        Optional.of(certs.clientFiles().key()), Optional.empty(), false);
    return new ClusterConfig("bench", "etcd", members, Optional.of(tls), Map.of(), INTERVAL,
        INTERVAL, ClusterConfig.DEFAULT_BODY_SIZE_LIMIT, List.of(),
        new KubernetesConfig("monitoring", Map.of(), "bench", KubernetesConfig.MetricsPort.METRICS,
            "bench-client-tls", Optional.empty(), Map.of(), Map.of(), false));
  }

  private static Process startPrometheus(Path dir, EtcdCluster etcd, int port) throws IOException {
    var certs = etcd.certificates();
    String targets = String.join(", ", etcd.metricsUrls().stream()
        .map(u -> "\"" + u.getHost() + ":" + u.getPort() + "\"").toList());
    Path config = Files.writeString(dir.resolve("prometheus.yml"), """
        global:
          scrape_interval: %s
          scrape_timeout: %s
        scrape_configs:
          - job_name: etcd
            scheme: https
            tls_config:
              ca_file: %s
              cert_file: %s
              key_file: %s
            static_configs:
              - targets: [%s]
        """.formatted(INTERVAL.toSeconds() + "s", INTERVAL.toSeconds() + "s", certs.caFile(),
        certs.clientFiles().cert(), certs.clientFiles().key(), targets));
    return new ProcessBuilder("prometheus", "--config.file=" + config,
        "--storage.tsdb.path=" + dir.resolve("prometheus-data"),
        "--web.listen-address=127.0.0.1:" + port)
        .redirectErrorStream(true)
        .redirectOutput(dir.resolve("prometheus.log").toFile())
        .start();
  }

  private static void awaitReady(OkHttpClient http, int port, Process p, Path dir) throws Exception {
    Instant deadline = Instant.now().plusSeconds(30);
    Request ready = new Request.Builder().url("http://127.0.0.1:" + port + "/-/ready").build();
    while (Instant.now().isBefore(deadline)) {
      if (!p.isAlive()) {
        throw new IllegalStateException("prometheus exited: " + Files.readString(dir.resolve("prometheus.log")));
      }
      try (Response r = http.newCall(ready).execute()) {
        if (r.code() == 200) {
          return;
        }
      } catch (IOException e) {
        // not listening yet
      }
      Thread.sleep(200);
    }
    throw new IllegalStateException("prometheus not ready after 30s");
  }

  private static double promQuery(OkHttpClient http, int port, String query) throws IOException {
    Request r = new Request.Builder().url("http://127.0.0.1:" + port + "/api/v1/query?query="
        + URLEncoder.encode(query, StandardCharsets.UTF_8)).build();
    try (Response response = http.newCall(r).execute()) {
      JsonNode json = new ObjectMapper().readTree(response.body().string());
      JsonNode result = json.path("data").path("result");
      if (!"success".equals(json.path("status").asText()) || result.isEmpty()) {
        throw new IllegalStateException("prometheus query " + query + " gave " + json);
      }
      return Double.parseDouble(result.get(0).path("value").get(1).asText());
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      return s.getLocalPort();
    }
  }

  private static void deleteTree(Path dir) throws IOException {
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}
