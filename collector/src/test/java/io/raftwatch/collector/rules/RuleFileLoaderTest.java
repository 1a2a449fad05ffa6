package io.raftwatch.collector.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@link RuleFileLoader}: what loads, and errors that name file, line, group and rule. */
class RuleFileLoaderTest {
  private final RuleFileLoader loader = new RuleFileLoader(Duration.ofMinutes(1), Map.of(), "");
  private final Path file = Path.of("x.rules.yaml");

  @Test
  void loadsGroupsWithTheirSettingsAndRules() throws Exception {
    List<RuleGroup> groups =
        loader.parse(file, """
            groups:
              - name: a
                interval: 30s
                limit: 5
                rules:
                  - alert: Down
                    expr: up == 0
                    for: 2m
                    keep_firing_for: 5m
                    labels: {severity: page}
                    annotations: {summary: "{{ $labels.instance }} down"}
              - name: b
                rules:
                  - record: job:up:sum
                    expr: sum by (job) (up)
            """);
    assertThat(groups).extracting(RuleGroup::name).containsExactly("a", "b");
    RuleGroup a = groups.get(0);
    assertThat(a.interval()).isEqualTo(Duration.ofSeconds(30));
    assertThat(a.limit()).isEqualTo(5);
    AlertingRule down = (AlertingRule) a.rules().get(0);
    assertThat(down.holdDuration()).isEqualTo(Duration.ofMinutes(2));
    assertThat(down.keepFiringFor()).isEqualTo(Duration.ofMinutes(5));
    assertThat(groups.get(1).interval()).isEqualTo(Duration.ofMinutes(1));
    assertThat(groups.get(1).rules().get(0)).isInstanceOf(RecordingRule.class);
  }

  private void fails(String yaml, String message) {
    assertThatThrownBy(() -> loader.parse(file, yaml))
        .isInstanceOf(RuleFileException.class)
        .hasMessage(message);
  }

  @Test
  void aBadExpressionNamesFileLineGroupAndRule() {
    fails("""
        groups:
          - name: etcd
            rules:
              - alert: Ok
                expr: up == 0
              - alert: Broken
                expr: sum(up
        """,
        "x.rules.yaml:7: group \"etcd\", rule 2, \"Broken\": could not parse expression: "
            + "1:7: parse error: unclosed left parenthesis");
  }

  @Test
  void recordingRulesRejectAlertFields() {
    fails("""
        groups:
          - name: g
            rules:
              - record: r
                expr: up
                for: 5m
        """,
        "x.rules.yaml:6: group \"g\", rule 1, \"r\": invalid field 'for' in recording rule");
  }

  @Test
  void otherMistakesAreNamedToo() {
    fails("groups:\n  - name: g\n    rules:\n      - expr: up\n",
        "x.rules.yaml:4: group \"g\", rule 1, \"\": one of 'record' or 'alert' must be set");
    fails("groups:\n  - name: g\n  - name: g\n",
        "x.rules.yaml:3: groupname: \"g\" is repeated in the same file");
    fails("groups:\n  - name: g\n    evaluation: 1m\n",
        "x.rules.yaml:3: rule group: field evaluation not found");
    fails("groups:\n  - name: g\n    rules:\n      - alert: A\n        expr: up\n        for: soon\n",
        "x.rules.yaml:6: group \"g\", rule 1, \"A\": for: not a valid duration string: \"soon\"");
    fails("groups:\n  - name: g\n    rules:\n      - alert: A\n        expr: up\n"
            + "        annotations: {s: '{{ humanise $value }}'}\n",
        "x.rules.yaml:4: group \"g\", rule 1, \"A\": template: __alert_A:1: function \"humanise\""
            + " not defined");
    fails("groups:\n  - name: g\n    rules:\n      - record: 'bad-name'\n        expr: up\n",
        "x.rules.yaml:4: group \"g\", rule 1, \"bad-name\": invalid recording rule name: bad-name");
    fails("groups: [\n",
        "x.rules.yaml:1: while parsing a flow node: expected the node content, but found"
            + " '<stream end>'");
  }
}
