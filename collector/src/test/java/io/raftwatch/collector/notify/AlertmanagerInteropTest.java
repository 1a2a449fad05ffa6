package io.raftwatch.collector.notify;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.prometheus.client.CollectorRegistry;
import io.raftwatch.collector.config.AlertmanagerConfig;
import io.raftwatch.collector.config.HttpClientConfig;
import io.raftwatch.collector.config.NotifyConfig;
import io.raftwatch.collector.config.WebhookConfig;
import io.raftwatch.collector.tsdb.Labels;
import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The notifier against a real Alertmanager 0.25 (Debian's prometheus-alertmanager): what we post
 * shows up in its API as sent, its webhook delivers it, a resolution resolves it; and the webhook
 * payload raftwatch sends itself has the fields, shapes and values Alertmanager's own has for the
 * same alert. Real time (Alertmanager compares our times with its clock), deadlines on every wait.
 */
class AlertmanagerInteropTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String EXTERNAL_URL = "http://raftwatch.test:9095";
  private static final Labels LABELS = Labels.of("alertname", "etcdNoLeader", "instance",
      "127.0.0.1:2379", "job", "etcd", "member", "etcd-1", "severity", "critical");
  private static final Labels ANNOTATIONS = Labels.of("summary", "etcd member has no leader",
      "runbook_url", "https://runbooks.example/etcd#noleader");

  @TempDir Path dir;
  private final MockWebServer alertmanagerHook = new MockWebServer();
  private final MockWebServer ourHook = new MockWebServer();

  @BeforeEach
  void startReceivers() throws IOException {
    for (MockWebServer s : List.of(alertmanagerHook, ourHook)) {
      s.setDispatcher(new Dispatcher() {
        @Override
        public MockResponse dispatch(RecordedRequest request) {
          return new MockResponse.Builder().code(200).build();
        }
      });
      s.start(InetAddress.getByName("127.0.0.1"), 0);
    }
  }

  @AfterEach
  void stopReceivers() throws IOException {
    alertmanagerHook.close();
    ourHook.close();
  }

  @Test
  void firingAndResolvedAlertsReachAlertmanagerAndBothWebhookPayloadsAgree() throws Exception {
    AlertmanagerProcess.requireBinary();
    String amConfig = """
        route:
          receiver: ops
          group_by: [alertname, cluster]
          group_wait: 1s
          group_interval: 1s
          repeat_interval: 1h
        receivers:
          - name: ops
            webhook_configs:
              - url: %s
                send_resolved: true
        """.formatted(alertmanagerHook.url("/hook"));
    try (AlertmanagerProcess am = AlertmanagerProcess.start(dir.resolve("am"), amConfig);
        Notifier notifier = new Notifier(config(am.url()), "http://unused:9095",
            new CollectorRegistry(), Clock.systemUTC(), null)) {
      Instant firedAt = Instant.now().minusSeconds(90).truncatedTo(ChronoUnit.MILLIS);
      notifier.firing("prod-etcd", Duration.ofSeconds(15), LABELS, ANNOTATIONS, firedAt,
          "etcd_server_has_leader == 0");
      notifier.tick();

      // Alertmanager's API lists the alert as we sent it.
      JsonNode listed = awaitAlertInApi(am, true);
      assertThat(listed.get("labels")).isEqualTo(JSON.readTree("""
          {"alertname":"etcdNoLeader","cluster":"prod-etcd","instance":"127.0.0.1:2379",
           "job":"etcd","member":"etcd-1","region":"eu-west-1","severity":"critical"}"""));
      assertThat(listed.get("annotations")).isEqualTo(JSON.readTree("""
          {"summary":"etcd member has no leader","runbook_url":"https://runbooks.example/etcd#noleader"}"""));
      assertThat(Instant.parse(listed.get("startsAt").asText())).isEqualTo(firedAt);
      // endsAt is the lease: now + 4 × max(1m resend, 15s evaluation).
      Instant endsAt = Instant.parse(listed.get("endsAt").asText());
      assertThat(Duration.between(Instant.now(), endsAt))
          .isBetween(Duration.ofMinutes(4).minusSeconds(30), Duration.ofMinutes(4));
      assertThat(listed.get("status").get("state").asText()).isEqualTo("active");
      assertThat(listed.get("generatorURL").asText()).isEqualTo(EXTERNAL_URL
          + "/graph?g0.expr=etcd_server_has_leader+%3D%3D+0&g0.tab=1");
      assertThat(listed.get("fingerprint").asText())
          .isEqualTo(Fingerprint.of(LABELS.toBuilder().set("cluster", "prod-etcd")
              .set("region", "eu-west-1").build()));

      // Alertmanager's webhook and ours carry the same notification.
      JsonNode amFiring = awaitWebhook(alertmanagerHook, "firing", am);
      JsonNode ourFiring = awaitWebhook(ourHook, "firing", am);
      assertThat(amFiring.get("alerts")).hasSize(1);
      assertThat(amFiring.get("alerts").get(0).get("endsAt").asText())
          .isEqualTo("0001-01-01T00:00:00Z");
      assertSameNotification(ourFiring, amFiring, "http://127.0.0.1:" + am.url().getPort());

      // Resolved: Alertmanager drops it from the active alerts and sends the resolved webhook.
      Instant resolvedAt = Instant.now().truncatedTo(ChronoUnit.MILLIS);
      notifier.resolved("prod-etcd", LABELS, resolvedAt);
      notifier.tick();
      awaitAlertInApi(am, false);
      JsonNode amResolved = awaitWebhook(alertmanagerHook, "resolved", am);
      JsonNode ourResolved = awaitWebhook(ourHook, "resolved", am);
      assertThat(Instant.parse(amResolved.get("alerts").get(0).get("endsAt").asText()))
          .isEqualTo(resolvedAt);
      assertSameNotification(ourResolved, amResolved, "http://127.0.0.1:" + am.url().getPort());
    }
  }

  /** Our webhook is named as Alertmanager's receiver, so that the payloads can be compared. */
  private NotifyConfig config(URI alertmanager) {
    return new NotifyConfig(
        List.of(new AlertmanagerConfig(List.of(alertmanager), HttpClientConfig.plain())),
        List.of(new WebhookConfig("ops", URI.create(ourHook.url("/hook").toString()), Map.of(),
            Duration.ofHours(1), HttpClientConfig.plain())),
        NotifyConfig.DEFAULT_RESEND_DELAY, NotifyConfig.DEFAULT_QUEUE_CAPACITY,
        Map.of("region", "eu-west-1"), Optional.of(URI.create(EXTERNAL_URL)));
  }

  /** Every field and value the same, except externalURL (each sender's own). */
  private static void assertSameNotification(JsonNode ours, JsonNode theirs, String theirExternal) {
    assertThat(fieldNames(ours)).isEqualTo(fieldNames(theirs));
    assertThat(theirs.get("externalURL").asText()).isEqualTo(theirExternal);
    assertThat(ours.get("externalURL").asText()).isEqualTo(EXTERNAL_URL);
    for (String field : List.of("receiver", "status", "groupLabels", "commonLabels",
        "commonAnnotations", "version", "groupKey", "truncatedAlerts")) {
      assertThat(ours.get(field)).as(field).isEqualTo(theirs.get(field));
    }
    assertThat(ours.get("alerts")).hasSameSizeAs(theirs.get("alerts"));
    for (int i = 0; i < theirs.get("alerts").size(); i++) {
      JsonNode a = ours.get("alerts").get(i);
      JsonNode b = theirs.get("alerts").get(i);
      assertThat(fieldNames(a)).isEqualTo(fieldNames(b));
      assertThat(a).as("alerts[" + i + "]").isEqualTo(b);
    }
  }

  private static TreeSet<String> fieldNames(JsonNode node) {
    TreeSet<String> names = new TreeSet<>();
    node.fieldNames().forEachRemaining(names::add);
    return names;
  }

  private static JsonNode awaitAlertInApi(AlertmanagerProcess am, boolean present) throws Exception {
    Instant deadline = Instant.now().plusSeconds(15);
    while (true) {
      JsonNode alerts = JSON.readTree(am.get("/api/v2/alerts"));
      JsonNode ours = null;
      for (JsonNode a : alerts) {
        if (a.get("labels").path("alertname").asText().equals("etcdNoLeader")) {
          ours = a;
        }
      }
      if ((ours != null) == present) {
        return ours;
      }
      if (Instant.now().isAfter(deadline)) {
        throw new AssertionError("alert " + (present ? "not listed" : "still listed")
            + " by Alertmanager: " + alerts + "\n" + am.logTail());
      }
      Thread.sleep(200);
    }
  }

  /** The next webhook request with that status (earlier ones, e.g. repeats, are skipped). */
  private static JsonNode awaitWebhook(MockWebServer server, String status, AlertmanagerProcess am)
      throws Exception {
    Instant deadline = Instant.now().plusSeconds(20);
    List<String> seen = new ArrayList<>();
    while (Instant.now().isBefore(deadline)) {
      RecordedRequest r = server.takeRequest(500, TimeUnit.MILLISECONDS);
      if (r == null) {
        continue;
      }
      JsonNode body = JSON.readTree(r.getBody().utf8());
      if (body.get("status").asText().equals(status)) {
        assertThat(r.getHeaders().get("Content-Type")).startsWith("application/json");
        return body;
      }
      seen.add(body.toString());
    }
    throw new AssertionError("no '" + status + "' webhook within 20s; saw " + seen + "\n" + am.logTail());
  }
}
