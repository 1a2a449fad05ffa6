package io.raftwatch.collector.notify;

import static org.assertj.core.api.Assertions.assertThat;

import io.prometheus.client.CollectorRegistry;
import io.raftwatch.collector.config.AlertmanagerConfig;
import io.raftwatch.collector.config.HttpClientConfig;
import io.raftwatch.collector.config.NotifyConfig;
import io.raftwatch.collector.config.Secret;
import io.raftwatch.collector.config.TlsConfig;
import io.raftwatch.collector.config.WebhookConfig;
import io.raftwatch.collector.fixture.ManualClock;
import io.raftwatch.collector.fixture.TestCertificates;
import io.raftwatch.collector.tsdb.Labels;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The notifier's shell against loopback HTTP servers: authentication, mutual TLS, several
 * Alertmanagers, failures and the queue, and the metrics that count them. Manual clock; the only
 * waits are for requests to arrive, with deadlines.
 */
class NotifierTest {
  private static final Instant T0 = Instant.parse("2026-11-24T12:00:00Z");
  private static final Labels NO_LEADER = Labels.of("alertname", "etcdNoLeader", "member", "m1");

  @TempDir Path dir;
  private final ManualClock clock = new ManualClock(T0);
  private final CollectorRegistry registry = new CollectorRegistry();
  private final MockWebServer am = new MockWebServer();
  private final MockWebServer hook = new MockWebServer();

  @AfterEach
  void stop() throws IOException {
    am.close();
    hook.close();
  }

  @Test
  void alertmanagerGetsTheBearerTokenAndTheWebhookBasicAuthAndItsHeaders() throws Exception {
    start(am, ok());
    start(hook, ok());
    HttpClientConfig bearer = new HttpClientConfig(Duration.ofSeconds(5), Optional.empty(),
        Optional.empty(), Optional.of(new Secret("s3cr3t-token")));
    HttpClientConfig basic = new HttpClientConfig(Duration.ofSeconds(5), Optional.empty(),
        Optional.of(new HttpClientConfig.BasicAuth("raftwatch", new Secret("pa55word"))),
        Optional.empty());
    NotifyConfig config = config(List.of(new AlertmanagerConfig(List.of(base(am)), bearer)),
        List.of(new WebhookConfig("ops", URI.create(hook.url("/hooks/abc").toString()),
            Map.of("X-Team", new Secret("etcd-oncall")), Duration.ofHours(4), basic)));
    try (Notifier notifier = notifier(config)) {
      notifier.firing("prod", Duration.ofSeconds(15), NO_LEADER, Labels.EMPTY, T0, "up == 0");
      notifier.tick();
      RecordedRequest posted = take(am);
      assertThat(posted.getTarget()).isEqualTo("/api/v2/alerts");
      assertThat(posted.getHeaders().get("Authorization")).isEqualTo("Bearer s3cr3t-token");
      assertThat(posted.getBody().utf8()).isEqualTo("""
          [{"labels":{"alertname":"etcdNoLeader","cluster":"prod","member":"m1"},\
          "annotations":{},"startsAt":"2026-11-24T12:00:00.000Z","endsAt":"2026-11-24T12:04:00.000Z",\
          "generatorURL":"http://rw.test:9095/graph?g0.expr=up+%3D%3D+0&g0.tab=1"}]""");
      RecordedRequest webhook = take(hook);
      assertThat(webhook.getTarget()).isEqualTo("/hooks/abc");
      assertThat(webhook.getHeaders().get("Authorization"))
          .isEqualTo("Basic " + java.util.Base64.getEncoder()
              .encodeToString("raftwatch:pa55word".getBytes(StandardCharsets.UTF_8)));
      assertThat(webhook.getHeaders().get("X-Team")).isEqualTo("etcd-oncall");
      awaitMetric("raftwatch_collector_notifications_sent_total", "webhook/ops", 1);
      awaitMetric("raftwatch_collector_notifications_sent_total",
          am.url("/api/v2/alerts").toString(), 1);
    }
    assertThat(config.toString()).doesNotContain("s3cr3t-token", "pa55word", "etcd-oncall");
  }

  @Test
  void alertmanagerOverMutualTlsWithTheConfiguredClientCertificate() throws Exception {
    TestCertificates certs = TestCertificates.create(dir);
    am.useHttps(certs.serverHandshake().sslSocketFactory());
    am.requireClientAuth();
    start(am, ok());
    HttpClientConfig mtls = new HttpClientConfig(Duration.ofSeconds(5), Optional.of(new TlsConfig(
        Optional.of(certs.caFile()), Optional.of(certs.clientFiles().cert()),
        Optional.of(certs.clientFiles().key()), Optional.empty(), false)),
        Optional.empty(), Optional.empty());
    try (Notifier notifier = notifier(config(
        List.of(new AlertmanagerConfig(List.of(base(am)), mtls)), List.of()))) {
      notifier.firing("prod", Duration.ofSeconds(15), NO_LEADER, Labels.EMPTY, T0, "up == 0");
      notifier.tick();
      RecordedRequest posted = take(am);
      assertThat(posted.getHandshake().peerPrincipal().getName()).contains("CN=raftwatch-client");
      awaitMetric("raftwatch_collector_notifications_sent_total", am.url("/api/v2/alerts").toString(), 1);
    }
  }

  @Test
  void oneAlertmanagerDownCountsErrorsButTheBatchIsDeliveredByTheOther() throws Exception {
    start(am, ok());
    URI down = URI.create("http://127.0.0.1:" + closedPort());
    try (Notifier notifier = notifier(config(List.of(new AlertmanagerConfig(
        List.of(down, base(am)), HttpClientConfig.plain())), List.of()))) {
      notifier.firing("prod", Duration.ofSeconds(15), NO_LEADER, Labels.EMPTY, T0, "up == 0");
      notifier.tick();
      take(am);
      awaitMetric("raftwatch_collector_notifications_errors_total", down + "/api/v2/alerts", 1);
      assertThat(metric("raftwatch_collector_notifications_dropped_total", null, 0)).isZero();
    }
  }

  @Test
  void batchNoAlertmanagerTookIsDroppedAndCounted() throws Exception {
    start(am, new Dispatcher() {
      @Override
      public MockResponse dispatch(RecordedRequest request) {
        return new MockResponse.Builder().code(500).body("boom").build();
      }
    });
    PrintStream err = System.err;
    ByteArrayOutputStream log = new ByteArrayOutputStream();
    System.setErr(new PrintStream(log, true, StandardCharsets.UTF_8));
    HttpClientConfig basic = new HttpClientConfig(Duration.ofSeconds(5), Optional.empty(),
        Optional.of(new HttpClientConfig.BasicAuth("raftwatch", new Secret("pa55word"))),
        Optional.empty());
    try (Notifier notifier = notifier(config(
        List.of(new AlertmanagerConfig(List.of(base(am)), basic)), List.of()))) {
      notifier.firing("prod", Duration.ofSeconds(15), NO_LEADER, Labels.EMPTY, T0, "up == 0");
      notifier.tick();
      take(am);
      awaitMetric("raftwatch_collector_notifications_errors_total",
          am.url("/api/v2/alerts").toString(), 1);
      awaitMetric("raftwatch_collector_notifications_dropped_total", null, 1);
    } finally {
      System.setErr(err);
    }
    assertThat(log.toString(StandardCharsets.UTF_8))
        .contains("bad response status 500").doesNotContain("pa55word");
  }

  @Test
  void fullQueueDropsTheOldestAlertsWhileTheAlertmanagerIsSlow() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    start(am, new Dispatcher() {
      @Override
      public MockResponse dispatch(RecordedRequest request) throws InterruptedException {
        release.await(10, TimeUnit.SECONDS);
        return new MockResponse.Builder().code(200).build();
      }
    });
    NotifyConfig config = new NotifyConfig(
        List.of(new AlertmanagerConfig(List.of(base(am)), HttpClientConfig.plain())), List.of(),
        NotifyConfig.DEFAULT_RESEND_DELAY, 2, Map.of(), Optional.of(URI.create("http://rw.test:9095")));
    try (Notifier notifier = notifier(config)) {
      notifier.firing("prod", Duration.ofSeconds(15), NO_LEADER, Labels.EMPTY, T0, "up == 0");
      notifier.tick();
      take(am); // the sender thread now waits on the slow Alertmanager
      for (int i = 2; i <= 4; i++) {
        notifier.firing("prod", Duration.ofSeconds(15), NO_LEADER.toBuilder().set("member", "m" + i)
            .build(), Labels.EMPTY, T0, "up == 0");
      }
      notifier.tick();
      assertThat(notifier.queueLength()).isEqualTo(2);
      assertThat(metric("raftwatch_collector_notifications_queue_length", null)).isEqualTo(2);
      assertThat(metric("raftwatch_collector_notifications_dropped_total", null)).isEqualTo(1);
      assertThat(metric("raftwatch_collector_notifications_queue_capacity", null)).isEqualTo(2);
      release.countDown();
      String second = take(am).getBody().utf8();
      assertThat(second).contains("\"member\":\"m3\"", "\"member\":\"m4\"").doesNotContain("\"m2\"");
    }
  }

  @Test
  void externalLabelsNeverOverrideTheAlertsOwnLabels() throws Exception {
    start(am, ok());
    NotifyConfig config = new NotifyConfig(
        List.of(new AlertmanagerConfig(List.of(base(am)), HttpClientConfig.plain())), List.of(),
        NotifyConfig.DEFAULT_RESEND_DELAY, 10, Map.of("region", "eu", "member", "from-external"),
        Optional.of(URI.create("http://rw.test:9095/")));
    try (Notifier notifier = notifier(config)) {
      notifier.firing("prod", Duration.ofSeconds(15),
          NO_LEADER.toBuilder().set("cluster", "from-rule").build(), Labels.EMPTY, T0,
          "rate(x[5m]) * 100 > 1 and y=~\"a~b\"");
      notifier.tick();
      String body = take(am).getBody().utf8();
      assertThat(body).contains("\"cluster\":\"from-rule\"", "\"member\":\"m1\"", "\"region\":\"eu\"")
          // Go's url.QueryEscape: '*' escaped, '~' kept; no double slash after the external URL.
          .contains("\"generatorURL\":\"http://rw.test:9095/graph?g0.expr="
              + "rate%28x%5B5m%5D%29+%2A+100+%3E+1+and+y%3D~%22a~b%22&g0.tab=1\"");
    }
  }

  private Notifier notifier(NotifyConfig config) throws Exception {
    return new Notifier(config, "http://unused:9095", registry, clock, null);
  }

  private static NotifyConfig config(List<AlertmanagerConfig> ams, List<WebhookConfig> hooks) {
    return new NotifyConfig(ams, hooks, NotifyConfig.DEFAULT_RESEND_DELAY,
        NotifyConfig.DEFAULT_QUEUE_CAPACITY, Map.of(), Optional.of(URI.create("http://rw.test:9095")));
  }

  private static Dispatcher ok() {
    return new Dispatcher() {
      @Override
      public MockResponse dispatch(RecordedRequest request) {
        return new MockResponse.Builder().code(200).build();
      }
    };
  }

  private static void start(MockWebServer server, Dispatcher dispatcher) throws IOException {
    server.setDispatcher(dispatcher);
    server.start(InetAddress.getByName("127.0.0.1"), 0);
  }

  private static URI base(MockWebServer server) {
    return URI.create(server.url("/").toString());
  }

  private static RecordedRequest take(MockWebServer server) throws InterruptedException {
    RecordedRequest r = server.takeRequest(10, TimeUnit.SECONDS);
    assertThat(r).as("a request within 10s").isNotNull();
    return r;
  }

  private double metric(String name, String receiver) {
    Double v = receiver == null ? registry.getSampleValue(name)
        : registry.getSampleValue(name, new String[] {"receiver"}, new String[] {receiver});
    return v == null ? Double.NaN : v;
  }

  private double metric(String name, String receiver, double fallback) {
    double v = metric(name, receiver);
    return Double.isNaN(v) ? fallback : v;
  }

  /** Counters are bumped on the sender thread just after the request; wait for them, with a deadline. */
  private void awaitMetric(String name, String receiver, double expected) throws InterruptedException {
    Instant deadline = Instant.now().plusSeconds(10);
    while (metric(name, receiver) != expected && Instant.now().isBefore(deadline)) {
      Thread.sleep(20);
    }
    assertThat(metric(name, receiver)).as(name + "{receiver=" + receiver + "}").isEqualTo(expected);
  }

  private static int closedPort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      return s.getLocalPort();
    }
  }
}
