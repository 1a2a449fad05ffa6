package io.raftwatch.raftkv.storage;

import static org.assertj.core.api.Assertions.assertThat;

import io.prometheus.client.CollectorRegistry;
import io.prometheus.client.exporter.common.TextFormat;
import io.raftwatch.raftkv.EtcdScrapes;
import java.io.StringWriter;
import java.nio.file.Files;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The storage metrics are exposed exactly as etcd 3.4.23 exposes them, before any I/O. */
class StorageMetricsTest {
  private static final List<String> NAMES =
      List.of(
          "etcd_disk_wal_fsync_duration_seconds",
          "etcd_debugging_snap_save_total_duration_seconds",
          "etcd_disk_wal_write_bytes_total");

  private static final Pattern LE = Pattern.compile("le=\"([^\"]*)\"");

  @Test
  void helpTypeAndBucketLinesMatchARealEtcdScrape() throws Exception {
    CollectorRegistry registry = new CollectorRegistry();
    new StorageMetrics(registry);
    StringWriter out = new StringWriter();
    TextFormat.write004(out, registry.metricFamilySamples());
    List<String> ours = out.toString().lines().toList();
    List<String> etcd =
        Files.readAllLines(EtcdScrapes.file("member-1.prom"));

    for (String name : NAMES) {
      assertThat(ours)
          .contains(find(etcd, "# HELP " + name + " "), find(etcd, "# TYPE " + name + " "));
      // simpleclient writes {le="0.001",} where Go writes {le="0.001"}: compare the bounds.
      assertThat(bucketBounds(ours, name))
          .as(name)
          .containsExactlyElementsOf(bucketBounds(etcd, name));
    }
    assertThat(bucketBounds(etcd, NAMES.get(0))).hasSize(15).endsWith("4.096", "8.192", "+Inf");
  }

  private static List<String> bucketBounds(List<String> lines, String name) {
    return lines.stream()
        .filter(l -> l.startsWith(name + "_bucket{"))
        .map(l -> LE.matcher(l))
        .filter(Matcher::find)
        .map(m -> m.group(1))
        .toList();
  }

  private static String find(List<String> lines, String prefix) {
    return lines.stream().filter(l -> l.startsWith(prefix)).findFirst().orElseThrow(
        () -> new AssertionError("fixture has no line starting " + prefix));
  }
}
