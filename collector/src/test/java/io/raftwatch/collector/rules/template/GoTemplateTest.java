package io.raftwatch.collector.rules.template;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Parsing and running templates. The formatting of every function is checked against promtool's
 * own output by {@code rules/templates.test.yaml} (PromtoolParityTest); these cases cover syntax
 * and errors, with Go's messages.
 */
class GoTemplateTest {
  private static String run(String text, Object value) throws TemplateException {
    Map<String, Object> vars = Map.of("value", value, "labels", Map.of("job", "etcd"));
    return GoTemplate.parse("t", text).execute(Map.of(), vars, new TemplateFunctions());
  }

  @Test
  void trimMarkersEatSpaceAndNewlines() throws Exception {
    assertThat(run("a \n {{- $labels.job -}} \n b", 1.0)).isEqualTo("aetcdb");
    assertThat(run("{{ if eq $labels.job \"etcd\" }}\n  yes\n{{- end }}", 1.0)).isEqualTo("\n  yes");
  }

  @Test
  void comparingAFloatWithAnIntIsAnErrorAsInGo() {
    assertThatThrownBy(() -> run("{{ if gt $value 1 }}x{{ end }}", 2.0))
        .hasMessage("template: t:1: executing \"t\" at <gt>: error calling gt: incompatible"
            + " types for comparison");
  }

  @Test
  void parseErrorsSayWhere() {
    assertThatThrownBy(() -> GoTemplate.parse("t", "a\n{{ humanise $value }}"))
        .hasMessage("template: t:2: function \"humanise\" not defined");
    assertThatThrownBy(() -> GoTemplate.parse("t", "{{ if $value }}x"))
        .hasMessage("template: t:1: unexpected EOF");
    assertThatThrownBy(() -> GoTemplate.parse("t", "{{ range $labels }}{{ end }}"))
        .hasMessage("template: t:1: {{range}} is not supported by raftwatch's templates");
  }

  @Test
  void humanizeOfAStringParsesIt() throws Exception {
    assertThat(run("{{ humanize \"2048\" }} {{ humanize1024 \"2048\" }}", 0.0))
        .isEqualTo("2.048k 2ki");
    assertThatThrownBy(() -> run("{{ humanize \"x\" }}", 0.0))
        .hasMessageContaining("strconv.ParseFloat: parsing \"x\": invalid syntax");
  }
}
