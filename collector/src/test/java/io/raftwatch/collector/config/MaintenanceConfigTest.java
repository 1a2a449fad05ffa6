package io.raftwatch.collector.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A cluster's {@code maintenance:} section: the documented example, off by default, mistakes. */
class MaintenanceConfigTest {
  @TempDir Path dir;
  private final ConfigLoader loader = new ConfigLoader();

  @Test
  void documentedExampleLoads() throws Exception {
    Path root = Path.of(System.getProperty("raftwatch.root", ".."));
    String doc = Files.readString(root.resolve("docs/maintenance.md"));
    int start = doc.indexOf("```yaml\n") + 8;
    Path file = Files.writeString(dir.resolve("raftwatch.yaml"),
        doc.substring(start, doc.indexOf("```", start)));

    MaintenanceConfig m = loader.load(file).clusters().get(0).maintenance();

    assertThat(m.enabled()).isTrue();
    assertThat(m.timeout()).isEqualTo(Duration.ofMinutes(2));
    assertThat(m.tls().orElseThrow().certFile()).contains(dir.resolve("pki/maintenance.crt"));
    assertThat(m.defrag()).isEqualTo(
        new MaintenanceConfig.Defrag(true, Optional.of("0 30 3 ? * SUN"), true));
    assertThat(m.compact()).isEqualTo(new MaintenanceConfig.Compact(true, Optional.of("0 0 * * * ?"),
        Optional.of(100_000L), Optional.empty()));
  }

  @Test
  void clusterWithoutTheSectionRunsNothing() throws Exception {
    assertThat(parse("""
        clusters:
          - name: a
            members: [{url: http://127.0.0.1:2379}]
        """).clusters().get(0).maintenance().enabled()).isFalse();
  }

  @Test
  void mistakesNameLineAndField() {
    assertThatThrownBy(() -> parse("""
        clusters:
          - name: a
            members: [{url: http://127.0.0.1:2379}]
            maintenance:
              defrag:
                enabled: yes
                cron: "every sunday"
              compact:
                enabled: true
                retainRevisions: 100
                retainPeriod: 24h
              vacuum: true
        """))
        .isInstanceOfSatisfying(ConfigException.class, e ->
            assertThat(e.problems()).extracting(ConfigProblem::toString).containsExactly(
                "raftwatch.yaml:6: clusters[0].maintenance.defrag.enabled: 'yes' is not true or false",
                "raftwatch.yaml:7: clusters[0].maintenance.defrag.cron: 'every sunday' is not a"
                    + " Quartz cron expression; expected 6 or 7 fields starting with seconds, e.g."
                    + " '0 30 3 * * ?' (03:30 every day)",
                "raftwatch.yaml:9: clusters[0].maintenance.compact.cron: missing; compaction runs on"
                    + " a cron, e.g. '0 0 * * * ?'",
                "raftwatch.yaml:9: clusters[0].maintenance.compact: give exactly one of"
                    + " retainRevisions (keep the latest N revisions) and retainPeriod (keep e.g."
                    + " 24h of history)",
                "raftwatch.yaml:12: clusters[0].maintenance.vacuum: unknown field; expected one of"
                    + " defrag, compact, tls, timeout"));
  }

  private RaftwatchConfig parse(String yaml) throws ConfigException {
    return loader.parse("raftwatch.yaml", yaml, dir);
  }
}
