package io.raftwatch.collector.rules;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The shipped {@code alert-rules/etcd.rules.yaml} is the rendering of its source with the default
 * settings, and another member label set renders into valid rules. {@code -Drewrite=true} rewrites
 * the committed file from the source.
 */
class RuleFileRendererTest {
  static final Path SOURCE = PromtoolParityTest.REPO.resolve("alert-rules/src/etcd.rules.yaml.ftl");
  static final Path SHIPPED = PromtoolParityTest.REPO.resolve("alert-rules/etcd.rules.yaml");

  @Test
  void shippedRulesAreTheDefaultRendering() throws Exception {
    String rendered =
        RuleFileRenderer.render("etcd.rules.yaml.ftl", Files.readString(SOURCE), RuleFileRenderer.DEFAULTS);
    if (Boolean.getBoolean("rewrite")) {
      Files.writeString(SHIPPED, rendered, StandardCharsets.UTF_8);
    }
    assertThat(rendered).isEqualTo(Files.readString(SHIPPED));
  }

  @Test
  void kubernetesLabelsAggregateAwayInstanceAndPod() throws Exception {
    String rendered =
        RuleFileRenderer.render(
            "etcd.rules.yaml.ftl",
            Files.readString(SOURCE),
            new RuleFileRenderer.Settings(
                List.of("instance", "pod"), "job=\"kube-etcd\"", "https://example.org/rb.md"));
    assertThat(rendered)
        .contains("sum without (instance, pod) (up{job=\"kube-etcd\"} == bool 0)")
        .contains("runbook_url: https://example.org/rb.md#etcdnoleader")
        .doesNotContain("${");
    List<RuleGroup> groups =
        new RuleFileLoader(Duration.ofMinutes(1), Map.of(), "").parse(Path.of("k8s.yaml"), rendered);
    assertThat(groups.stream().mapToInt(g -> g.rules().size()).sum()).isEqualTo(20);
  }
}
