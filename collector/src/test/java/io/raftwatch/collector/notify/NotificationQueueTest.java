package io.raftwatch.collector.notify;

import static org.assertj.core.api.Assertions.assertThat;

import io.raftwatch.collector.tsdb.Labels;
import java.time.Instant;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** Prometheus's notifier queue policy: when full, the oldest alerts go. */
class NotificationQueueTest {
  @Test
  void fullQueueDropsTheOldestAlertsAndSaysHowMany() throws InterruptedException {
    NotificationQueue queue = new NotificationQueue(3);
    assertThat(queue.offer(alerts(0, 2))).isZero();
    assertThat(queue.offer(alerts(2, 4))).isEqualTo(1);
    assertThat(names(queue.take(10, 0))).containsExactly("a1", "a2", "a3");
  }

  @Test
  void batchLargerThanTheQueueKeepsItsNewestAlerts() throws InterruptedException {
    NotificationQueue queue = new NotificationQueue(2);
    assertThat(queue.offer(alerts(0, 5))).isEqualTo(3);
    assertThat(names(queue.take(10, 0))).containsExactly("a3", "a4");
  }

  @Test
  void takeReturnsAtMostTheBatchSizeFromTheHead() throws InterruptedException {
    NotificationQueue queue = new NotificationQueue(10);
    queue.offer(alerts(0, 5));
    assertThat(names(queue.take(2, 0))).containsExactly("a0", "a1");
    assertThat(queue.size()).isEqualTo(3);
    assertThat(new NotificationQueue(1).take(5, 0)).isEmpty();
  }

  private static List<OutgoingAlert> alerts(int from, int to) {
    Instant t = Instant.parse("2026-11-24T12:00:00Z");
    return IntStream.range(from, to).mapToObj(i -> new OutgoingAlert(
        Labels.of("alertname", "a" + i), Labels.EMPTY, t, t, false, "u")).toList();
  }

  private static List<String> names(List<OutgoingAlert> alerts) {
    return alerts.stream().map(a -> a.labels().get("alertname")).toList();
  }
}
