package io.raftwatch.raftkv.mvcc;

import static org.assertj.core.api.Assertions.assertThat;

import io.prometheus.client.CollectorRegistry;
import io.prometheus.client.exporter.common.TextFormat;
import io.raftwatch.raftkv.EtcdScrapes;
import java.io.IOException;
import java.io.StringWriter;
import java.nio.file.Files;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The package's metrics expose exactly etcd 3.4.23's HELP and TYPE lines and histogram buckets, as
 * in the real scrape ../shared/fixtures/etcd-3.4.23/member-1.prom.
 */
class MvccMetricsTest {
  private static final List<String> NAMES =
      List.of(
          "etcd_mvcc_db_total_size_in_bytes",
          "etcd_debugging_mvcc_db_total_size_in_bytes",
          "etcd_mvcc_db_total_size_in_use_in_bytes",
          "etcd_disk_backend_commit_duration_seconds",
          "etcd_disk_backend_defrag_duration_seconds",
          "etcd_debugging_mvcc_keys_total",
          "etcd_debugging_mvcc_current_revision",
          "etcd_debugging_mvcc_compact_revision",
          "etcd_mvcc_put_total",
          "etcd_mvcc_delete_total",
          "etcd_mvcc_range_total",
          "etcd_mvcc_txn_total",
          "etcd_debugging_mvcc_watcher_total",
          "etcd_debugging_mvcc_watch_stream_total",
          "etcd_debugging_mvcc_slow_watcher_total");

  private static List<String> linesOf(String text, String name) {
    return text.lines()
        .filter(
            l ->
                l.startsWith("# HELP " + name + " ")
                    || l.startsWith("# TYPE " + name + " ")
                    || l.startsWith(name + "_bucket{"))
        // simpleclient writes a trailing comma inside the labels; etcd does not.
        .map(l -> l.startsWith(name + "_bucket{") ? l.substring(0, l.indexOf('}') + 1) : l)
        .map(l -> l.replace(",}", "}"))
        .toList();
  }

  @Test
  void helpTypeAndBucketsMatchEtcd() throws IOException {
    CollectorRegistry registry = new CollectorRegistry();
    new MvccMetrics(registry);
    StringWriter out = new StringWriter();
    TextFormat.write004(out, registry.metricFamilySamples());
    String etcd = Files.readString(EtcdScrapes.file("member-1.prom"));
    for (String name : NAMES) {
      List<String> ours = linesOf(out.toString(), name);
      assertThat(ours).as(name).hasSizeGreaterThanOrEqualTo(2);
      assertThat(ours).as(name).isEqualTo(linesOf(etcd, name));
    }
  }
}
