package io.raftwatch.collector.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@code notify:} section: the documented example, defaults, mistakes with their lines. */
class NotifyConfigTest {
  @TempDir Path dir;
  private final ConfigLoader loader = new ConfigLoader();

  @Test
  void documentedExampleLoads() throws Exception {
    Path root = Path.of(System.getProperty("raftwatch.root", ".."));
    String doc = Files.readString(root.resolve("docs/notify.md"));
    int start = doc.indexOf("```yaml\n") + 8;
    Files.writeString(dir.resolve("am-password.txt"), "pa55word\n");
    Path file = Files.writeString(dir.resolve("raftwatch.yaml"),
        doc.substring(start, doc.indexOf("```", start)));

    NotifyConfig notify = loader.load(file).notifications();

    assertThat(notify.externalUrl()).contains(URI.create("http://raftwatch.example:9095"));
    assertThat(notify.externalLabels()).isEqualTo(Map.of("region", "eu-west-1"));
    assertThat(notify.resendDelay()).isEqualTo(Duration.ofMinutes(1));
    assertThat(notify.queueCapacity()).isEqualTo(10_000);
    AlertmanagerConfig first = notify.alertmanagers().get(0);
    assertThat(first.urls()).containsExactly(URI.create("http://10.0.0.9:9093"),
        URI.create("http://10.0.0.10:9093"));
    assertThat(first.http().bearerToken().orElseThrow().reveal()).isEqualTo("s3cr3t");
    AlertmanagerConfig second = notify.alertmanagers().get(1);
    assertThat(second.http().tls().orElseThrow().certFile()).contains(dir.resolve("pki/raftwatch.crt"));
    assertThat(second.http().basicAuth().orElseThrow().password().reveal()).isEqualTo("pa55word");
    WebhookConfig hook = notify.webhooks().get(0);
    assertThat(hook.name()).isEqualTo("ops");
    assertThat(hook.headers().get("X-Api-Key").reveal()).isEqualTo("k3y");
    assertThat(hook.repeatInterval()).isEqualTo(Duration.ofHours(4));
    assertThat(notify.toString()).doesNotContain("s3cr3t", "pa55word", "k3y");
  }

  @Test
  void fileWithoutNotifySendsNothing() throws Exception {
    RaftwatchConfig config = parse("""
        clusters:
          - name: a
            members: [{url: http://127.0.0.1:2379}]
        """);
    assertThat(config.notifications().enabled()).isFalse();
    assertThat(config.notifications().resendDelay()).isEqualTo(Duration.ofMinutes(1));
  }

  @Test
  void webhookDefaultsFollowAlertmanager() throws Exception {
    WebhookConfig hook = parse("""
        clusters:
          - name: a
            members: [{url: http://127.0.0.1:2379}]
        notify:
          webhooks:
            - url: http://127.0.0.1:8080/hook
        """).notifications().webhooks().get(0);
    assertThat(hook.name()).isEqualTo("webhook-0");
    assertThat(hook.repeatInterval()).isEqualTo(Duration.ofHours(4));
    assertThat(hook.http().timeout()).isEqualTo(Duration.ofSeconds(10));
    assertThat(hook.http().tls()).isEqualTo(Optional.empty());
  }

  @Test
  void mistakesAreReportedWithLineAndFieldAndNeverEchoASecret() {
    assertThatThrownBy(() -> parse("""
        clusters:
          - name: a
            members: [{url: http://127.0.0.1:2379}]
        notify:
          resendDelay: 0s
          queueCapacity: lots
          alertmanagers:
            - urls: [htp://am:9093, "http://user:hunter2@am:9093"]
              timeout: soon
            - urls: []
          webhooks:
            - name: ops
              url: http://hooks/x
              basicAuth: {username: u, password: hunter2}
              bearerToken: hunter2
              header: {a: b}
            - name: ops
              url: http://hooks/y
              headers: {"bad header": v}
          externalLabels: {__x: y}
        """))
        .isInstanceOfSatisfying(ConfigException.class, e -> {
          assertThat(e.problems()).extracting(ConfigProblem::toString).containsExactly(
              "raftwatch.yaml:5: notify.resendDelay: must be above 0s",
              "raftwatch.yaml:6: notify.queueCapacity: 'lots' is not a whole number above 0",
              "raftwatch.yaml:8: notify.alertmanagers[0].urls[0]: 'htp://am:9093' is not an http(s)"
                  + " URL; expected e.g. http://10.0.0.9:9093",
              "raftwatch.yaml:8: notify.alertmanagers[0].urls[1]: the URL carries a user or password;"
                  + " use basicAuth instead",
              "raftwatch.yaml:9: notify.alertmanagers[0].timeout: " + durationMessage("soon"),
              "raftwatch.yaml:10: notify.alertmanagers[1].urls: must list at least one entry",
              "raftwatch.yaml:14: notify.webhooks[0].basicAuth: give basicAuth or a bearer token,"
                  + " not both; both set the Authorization header",
              "raftwatch.yaml:16: notify.webhooks[0].header: unknown field; expected one of name,"
                  + " url, headers, repeatInterval, timeout, tls, basicAuth, bearerToken, bearerTokenFile",
              "raftwatch.yaml:17: notify.webhooks[1].name: 'ops' is already the name of webhooks[0]",
              "raftwatch.yaml:19: notify.webhooks[1].headers.bad header: 'bad header' is not an HTTP"
                  + " header name",
              "raftwatch.yaml:20: notify.externalLabels.__x: '__x' is not a label name; expected"
                  + " letters, digits and '_', not starting with a digit or '__'");
          assertThat(e.getMessage()).doesNotContain("hunter2");
        });
  }

  @Test
  void missingPasswordFileIsNamed() {
    assertThatThrownBy(() -> parse("""
        clusters:
          - name: a
            members: [{url: http://127.0.0.1:2379}]
        notify:
          alertmanagers:
            - urls: [http://am:9093]
              basicAuth: {username: u, passwordFile: nope.txt}
        """))
        .isInstanceOfSatisfying(ConfigException.class, e ->
            assertThat(e.problems()).extracting(ConfigProblem::toString).containsExactly(
                "raftwatch.yaml:7: notify.alertmanagers[0].basicAuth.passwordFile: cannot read "
                    + dir.resolve("nope.txt") + " (NoSuchFileException)"));
  }

  private static String durationMessage(String text) {
    try {
      PrometheusDuration.parse(text);
      throw new AssertionError(text + " parsed");
    } catch (IllegalArgumentException e) {
      return e.getMessage();
    }
  }

  private RaftwatchConfig parse(String yaml) throws ConfigException {
    return loader.parse("raftwatch.yaml", yaml, dir);
  }
}
