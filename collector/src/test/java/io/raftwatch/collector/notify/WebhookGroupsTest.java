package io.raftwatch.collector.notify;

import static org.assertj.core.api.Assertions.assertThat;

import io.raftwatch.collector.tsdb.Labels;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * When a plain webhook is notified, as Alertmanager's DedupStage decides it, and what the group
 * carries; on manual time.
 */
class WebhookGroupsTest {
  private static final Instant T0 = Instant.parse("2026-11-24T12:00:00Z");
  private static final Labels M1 = Labels.of("alertname", "etcdNoLeader", "cluster", "prod",
      "instance", "m1:2379", "job", "etcd");
  private static final Labels M2 = Labels.of("alertname", "etcdNoLeader", "cluster", "prod",
      "instance", "m2:2379", "job", "etcd");
  private static final Labels OTHER = Labels.of("alertname", "etcdHighFsync", "cluster", "prod");

  private final WebhookGroups groups = new WebhookGroups(Duration.ofHours(4));

  @Test
  void newFiringAlertNotifiesItsGroupOnceUntilSomethingChanges() {
    groups.add(List.of(firing(M1, T0)));
    WebhookMessage first = single(groups.due(T0));
    assertThat(first.groupKey()).isEqualTo("{}:{alertname=\"etcdNoLeader\", cluster=\"prod\"}");
    assertThat(first.status()).isEqualTo("firing");
    groups.delivered(first);

    // The resend of the same alert changes nothing.
    groups.add(List.of(firing(M1, T0.plusSeconds(61))));
    assertThat(groups.due(T0.plusSeconds(61))).isEmpty();

    // A second member's alert joins the group: one message with both, in job/instance order.
    groups.add(List.of(firing(M2, T0.plusSeconds(70))));
    WebhookMessage second = single(groups.due(T0.plusSeconds(70)));
    assertThat(second.alerts()).extracting(OutgoingAlert::labels).containsExactly(M1, M2);
  }

  @Test
  void eachAlertnameIsItsOwnGroup() {
    groups.add(List.of(firing(M1, T0), firing(OTHER, T0)));
    assertThat(groups.due(T0)).extracting(WebhookMessage::groupLabels).containsExactlyInAnyOrder(
        Labels.of("alertname", "etcdNoLeader", "cluster", "prod"),
        Labels.of("alertname", "etcdHighFsync", "cluster", "prod"));
  }

  @Test
  void resolvedAlertIsNotifiedOnceThenTheGroupIsGone() {
    groups.add(List.of(firing(M1, T0)));
    groups.delivered(single(groups.due(T0)));
    groups.add(List.of(resolved(M1, T0.plusSeconds(30))));
    WebhookMessage message = single(groups.due(T0.plusSeconds(31)));
    assertThat(message.status()).isEqualTo("resolved");
    groups.delivered(message);
    // Prometheus resends the resolved alert for 15 minutes; the receiver hears of it once.
    groups.add(List.of(resolved(M1, T0.plusSeconds(30))));
    assertThat(groups.due(T0.plusSeconds(92))).isEmpty();
  }

  @Test
  void alertWhoseLeaseRanOutCountsAsResolved() {
    groups.add(List.of(firing(M1, T0)));
    groups.delivered(single(groups.due(T0)));
    // No resend for 4 minutes: raftwatch stopped. Alertmanager would resolve it; so do we.
    assertThat(single(groups.due(T0.plusSeconds(241))).status()).isEqualTo("resolved");
  }

  @Test
  void unchangedFiringGroupIsRepeatedAfterTheRepeatInterval() {
    groups.add(List.of(firing(M1, T0)));
    groups.delivered(single(groups.due(T0)));
    Instant later = T0.plus(Duration.ofHours(4));
    groups.add(List.of(firing(M1, later)));
    assertThat(groups.due(later.minusSeconds(1))).isEmpty();
    assertThat(groups.due(later)).hasSize(1);
  }

  @Test
  void failedDeliveryIsTriedAgainAndNothingIsSentTwiceAtOnce() {
    groups.add(List.of(firing(M1, T0)));
    WebhookMessage message = single(groups.due(T0));
    // In flight: not offered again.
    assertThat(groups.due(T0.plusSeconds(5))).isEmpty();
    groups.failed(message);
    assertThat(groups.due(T0.plusSeconds(10))).hasSize(1);
  }

  @Test
  void firedAndResolvedBeforeAnyNotificationTellsNothing() {
    groups.add(List.of(resolved(M1, T0)));
    assertThat(groups.due(T0.plusSeconds(1))).isEmpty();
  }

  private static WebhookMessage single(List<WebhookMessage> messages) {
    assertThat(messages).hasSize(1);
    return messages.get(0);
  }

  private static OutgoingAlert firing(Labels labels, Instant now) {
    return new OutgoingAlert(labels, Labels.EMPTY, T0, now.plusSeconds(240), false, "u");
  }

  private static OutgoingAlert resolved(Labels labels, Instant at) {
    return new OutgoingAlert(labels, Labels.EMPTY, T0, at, true, "u");
  }
}
