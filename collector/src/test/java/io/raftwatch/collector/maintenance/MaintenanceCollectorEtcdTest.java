package io.raftwatch.collector.maintenance;

import static org.assertj.core.api.Assertions.assertThat;

import io.raftwatch.collector.config.ConfigLoader;
import io.raftwatch.collector.config.RaftwatchConfig;
import io.raftwatch.collector.fixture.EtcdCluster;
import io.raftwatch.collector.fixture.TestCertificates;
import io.raftwatch.collector.history.MaintenanceRun;
import io.raftwatch.collector.jobs.Collector;
import io.raftwatch.collector.jobs.CollectorOptions;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The chores as {@code raftwatch run} wires them: a {@code maintenance:} section in the YAML, the
 * cron jobs on the collector's real Quartz scheduler, a real 3-member etcd over mutual TLS, and
 * the runs in the collector's history.
 */
class MaintenanceCollectorEtcdTest {
  @TempDir Path dir;

  @Test
  void cronChoresRunOnTheCollectorsSchedulerAndLandInItsHistory() throws Exception {
    EtcdCluster.requireEtcd();
    try (EtcdCluster etcd = EtcdCluster.start(dir.resolve("etcd"), 3)) {
      TestCertificates certs = etcd.certificates();
      RaftwatchConfig config = new ConfigLoader().parse("raftwatch.yaml", """
          clusters:
            - name: prod
              scrapeInterval: 1h
              tls:
                caFile: %s
                certFile: %s
                keyFile: %s
              members:
                - {name: etcd-1, url: %s}
                - {name: etcd-2, url: %s}
                - {name: etcd-3, url: %s}
              maintenance:
                timeout: 30s
                defrag: {enabled: true, onAlert: false, cron: "*/2 * * * * ?"}
                compact: {enabled: true, cron: "*/2 * * * * ?", retainRevisions: 1000000}
          """.formatted(certs.caFile(), certs.clientFiles().cert(), certs.clientFiles().key(),
          etcd.clientUrls().get(0), etcd.clientUrls().get(1), etcd.clientUrls().get(2)), dir);
      Instant started = Instant.now().minusSeconds(1);
      try (Collector collector = Collector.create(config,
              CollectorOptions.defaults(dir.resolve("data")));
          MaintenanceJobs jobs = MaintenanceJobs.attach(collector)) {
        assertThat(jobs.clusters()).containsExactly("prod");
        collector.start();
        List<MaintenanceRun> runs = List.of();
        Instant deadline = Instant.now().plusSeconds(30);
        while (Instant.now().isBefore(deadline)) {
          runs = collector.history().maintenanceRuns(Optional.of("prod"), started,
              Instant.now().plusSeconds(1), 50);
          if (runs.stream().filter(r -> r.action().equals("defragment")).count() >= 3
              && runs.stream().anyMatch(r -> r.action().equals("compact"))) {
            break;
          }
          Thread.sleep(200);
        }
        assertThat(runs).filteredOn(r -> r.action().equals("defragment"))
            .extracting(MaintenanceRun::member).contains("etcd-1", "etcd-2", "etcd-3");
        assertThat(runs).filteredOn(r -> r.action().equals("defragment"))
            .allSatisfy(r -> {
              assertThat(r.outcome()).as(r.detail()).isEqualTo(MaintenanceRun.Outcome.SUCCEEDED);
              assertThat(r.detail()).startsWith("cron: ");
              assertThat(r.instance()).isEqualTo("local");
            });
        // A fresh cluster has fewer than a million revisions: nothing to compact, and it says so.
        assertThat(runs).filteredOn(r -> r.action().equals("compact")).first().satisfies(r -> {
          assertThat(r.outcome()).isEqualTo(MaintenanceRun.Outcome.SKIPPED);
          assertThat(r.detail()).contains("nothing to compact, keeping the latest 1000000 revisions");
        });
      }
    }
  }
}
