package io.raftwatch.collector.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.prometheus.client.CollectorRegistry;
import io.raftwatch.collector.jobs.CollectorScheduler.Schedule;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The collector's Quartz scheduler (in memory) with jobs slower than their interval: late fires
 * are skipped and counted, never queued or overlapped; shutdown waits for a running job, but only
 * for the shutdown timeout. These tests run on the real scheduler and wall clock: a job that
 * blocks is the behaviour under test, and the test waits for its outcome with Awaitility.
 */
class CollectorSchedulerTest {
  @TempDir Path dir;
  private final CollectorRegistry registry = new CollectorRegistry();
  private final CollectorMetrics metrics = new CollectorMetrics(registry);

  private CollectorScheduler scheduler(Duration shutdownTimeout) throws Exception {
    return new CollectorScheduler(CollectorOptions.defaults(dir)
        .withMisfireThreshold(Duration.ofMillis(100)).withShutdownTimeout(shutdownTimeout), 3, metrics);
  }

  private double runs(String outcome) {
    Double v = registry.getSampleValue("raftwatch_collector_job_runs_total",
        new String[] {"job", "cluster", "outcome"}, new String[] {"slow", "c1", outcome});
    return v == null ? 0 : v;
  }

  @Test
  void aRunLongerThanTheIntervalSkipsTheLateFiresAndCountsAMisfire() throws Exception {
    List<Instant> fireTimes = new CopyOnWriteArrayList<>();
    AtomicReference<Instant> firstEnd = new AtomicReference<>();
    AtomicInteger concurrent = new AtomicInteger();
    AtomicInteger maxConcurrent = new AtomicInteger();
    try (CollectorScheduler s = scheduler(Duration.ofSeconds(5))) {
      s.add("slow", "c1", Schedule.every(Duration.ofMillis(300)), fireTime -> {
        maxConcurrent.accumulateAndGet(concurrent.incrementAndGet(), Math::max);
        try {
          fireTimes.add(fireTime);
          if (fireTimes.size() == 1) {
            // A scrape that hangs for more than three intervals.
            TimeUnit.MILLISECONDS.sleep(1000);
            firstEnd.set(Instant.now());
          }
        } finally {
          concurrent.decrementAndGet();
        }
      });
      s.start();
      await().atMost(Duration.ofSeconds(20)).until(() -> fireTimes.size() >= 3);
    }

    assertThat(maxConcurrent.get()).as("runs of one job never overlap").isEqualTo(1);
    assertThat(metrics.misfires("slow", "c1")).isGreaterThanOrEqualTo(1);
    // The fires due while the first run hung were skipped, not queued: the next run is one due
    // after the first ended.
    assertThat(fireTimes.get(1)).isAfterOrEqualTo(firstEnd.get().minusMillis(1));
    assertThat(Duration.between(fireTimes.get(0), fireTimes.get(1)).toMillis() % 300).isZero();
    assertThat(runs("success")).isGreaterThanOrEqualTo(3);
    assertThat(runs("failure")).isZero();
  }

  @Test
  void aFailingRunIsCountedAndTheNextOneStillRuns() throws Exception {
    AtomicInteger n = new AtomicInteger();
    try (CollectorScheduler s = scheduler(Duration.ofSeconds(5))) {
      s.add("slow", "c1", Schedule.every(Duration.ofMillis(200)), fireTime -> {
        if (n.incrementAndGet() == 1) {
          throw new IllegalStateException("boom (expected by the test)");
        }
      });
      s.start();
      await().atMost(Duration.ofSeconds(20)).until(() -> n.get() >= 3);
    }
    assertThat(runs("failure")).isEqualTo(1);
    assertThat(runs("success")).isGreaterThanOrEqualTo(2);
  }

  @Test
  void closeWaitsForTheRunningJob() throws Exception {
    CountDownLatch running = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    CollectorScheduler s = scheduler(Duration.ofSeconds(30));
    s.add("slow", "c1", Schedule.every(Duration.ofMillis(200)), fireTime -> {
      running.countDown();
      release.await();
    });
    s.start();
    assertThat(running.await(20, TimeUnit.SECONDS)).isTrue();
    Thread closer = new Thread(s::close);
    closer.start();
    await().atMost(Duration.ofSeconds(10)).until(() -> closer.getState() == Thread.State.TIMED_WAITING);
    assertThat(closer.isAlive()).as("close waits while the job runs").isTrue();

    release.countDown();
    closer.join(20_000);

    assertThat(closer.isAlive()).isFalse();
    assertThat(runs("success")).isEqualTo(1);
    assertThat(s.running()).isZero();
  }

  @Test
  void closeGivesUpOnAJobThatOutlivesTheShutdownTimeout() throws Exception {
    CountDownLatch running = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    CollectorScheduler s = scheduler(Duration.ofMillis(200));
    s.add("slow", "c1", Schedule.every(Duration.ofMillis(200)), fireTime -> {
      running.countDown();
      release.await(30, TimeUnit.SECONDS);
    });
    s.start();
    assertThat(running.await(20, TimeUnit.SECONDS)).isTrue();
    try {
      s.close();
      assertThat(s.running()).as("close returned while the job still ran").isEqualTo(1);
    } finally {
      release.countDown();
    }
    await().atMost(Duration.ofSeconds(10)).until(() -> s.running() == 0);
  }
}
