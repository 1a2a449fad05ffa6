package io.raftwatch.collector.notify;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.raftwatch.collector.config.ConfigLoader;
import io.raftwatch.collector.config.RaftwatchConfig;
import io.raftwatch.collector.fixture.ManualClock;
import io.raftwatch.collector.jobs.ClusterWatch;
import io.raftwatch.collector.jobs.Collector;
import io.raftwatch.collector.jobs.CollectorOptions;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.TimeUnit;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The notifier plugged into the collector: a rule's firing and resolution, as the health check
 * evaluates it against a member, reach the Alertmanager with the labels Prometheus would send.
 * The health check is run by hand on a manual clock; the member and the Alertmanager are loopback
 * HTTP servers.
 */
class NotifierCollectorTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;
  private final MockWebServer member = new MockWebServer();
  private final MockWebServer alertmanager = new MockWebServer();
  private volatile String exposition = "etcd_server_has_leader 0\n";

  @AfterEach
  void stop() throws Exception {
    member.close();
    alertmanager.close();
  }

  @Test
  void firingAndResolvedTransitionsOfTheHealthCheckArePostedToTheAlertmanager() throws Exception {
    member.setDispatcher(new Dispatcher() {
      @Override
      public MockResponse dispatch(RecordedRequest request) {
        return new MockResponse.Builder().setHeader("Content-Type", "text/plain; version=0.0.4")
            .body(exposition).build();
      }
    });
    alertmanager.setDispatcher(new Dispatcher() {
      @Override
      public MockResponse dispatch(RecordedRequest request) {
        return new MockResponse.Builder().code(200).build();
      }
    });
    member.start(InetAddress.getByName("127.0.0.1"), 0);
    alertmanager.start(InetAddress.getByName("127.0.0.1"), 0);
    Files.writeString(dir.resolve("rules.yaml"), """
        groups:
          - name: etcd
            rules:
              - alert: etcdNoLeader
                expr: etcd_server_has_leader == 0
                labels: {severity: critical}
                annotations: {summary: "{{ $labels.member }} has no leader"}
        """);
    RaftwatchConfig config = new ConfigLoader().parse("raftwatch.yaml", """
        clusters:
          - name: prod
            members:
              - name: etcd-1
                url: %s
            ruleFiles: [rules.yaml]
        notify:
          externalLabels: {region: eu}
          alertmanagers:
            - urls: [%s]
        """.formatted(member.url("/"), alertmanager.url("/")), dir);
    Instant t0 = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    ManualClock clock = new ManualClock(t0);
    try (Collector collector = Collector.create(config,
            CollectorOptions.defaults(dir.resolve("data")).withClock(clock));
        Notifier notifier = Notifier.attach(collector, "http://raftwatch.test:9095")) {
      ClusterWatch prod = collector.cluster("prod").orElseThrow();

      prod.runOnce(t0);
      JsonNode firing = posted().get(0);
      assertThat(firing.get("labels")).isEqualTo(JSON.readTree("""
          {"alertname":"etcdNoLeader","cluster":"prod","instance":"%s","job":"prod",
           "member":"etcd-1","region":"eu","severity":"critical"}"""
          .formatted(member.url("/").host() + ":" + member.getPort())));
      assertThat(firing.get("annotations").get("summary").asText()).isEqualTo("etcd-1 has no leader");
      assertThat(Instant.parse(firing.get("startsAt").asText())).isEqualTo(t0);
      // 4 × max(1m resend, 15s scrape interval)
      assertThat(Instant.parse(firing.get("endsAt").asText())).isEqualTo(t0.plusSeconds(240));
      assertThat(firing.get("generatorURL").asText()).isEqualTo(
          "http://raftwatch.test:9095/graph?g0.expr=etcd_server_has_leader+%3D%3D+0&g0.tab=1");

      exposition = "etcd_server_has_leader 1\n";
      clock.advance(Duration.ofSeconds(15));
      prod.runOnce(t0.plusSeconds(15));
      JsonNode resolved = posted().get(0);
      assertThat(resolved.get("labels")).isEqualTo(firing.get("labels"));
      assertThat(Instant.parse(resolved.get("endsAt").asText())).isEqualTo(t0.plusSeconds(15));
      assertThat(collector.registry().getSampleValue("raftwatch_collector_notifications_queue_capacity"))
          .isEqualTo(10_000.0);
    }
  }

  private JsonNode posted() throws Exception {
    RecordedRequest r = alertmanager.takeRequest(10, TimeUnit.SECONDS);
    assertThat(r).as("a POST to the Alertmanager within 10s").isNotNull();
    assertThat(r.getTarget()).isEqualTo("/api/v2/alerts");
    return JSON.readTree(r.getBody().utf8());
  }
}
