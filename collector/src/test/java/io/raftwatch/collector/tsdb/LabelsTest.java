package io.raftwatch.collector.tsdb;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class LabelsTest {
  @Test
  void sortsByNameAndPrintsInPrometheusForm() {
    Labels l = Labels.of("job", "b", "__name__", "up", "instance", "a");

    assertThat(l.toString()).isEqualTo("up{instance=\"a\", job=\"b\"}");
    assertThat(l.name()).isEqualTo("up");
    assertThat(l.nameAt(0)).isEqualTo("__name__");
    assertThat(l.size()).isEqualTo(3);
  }

  @Test
  void emptyValueMeansAbsentAsInPrometheus() {
    Labels l = Labels.of("__name__", "up", "job", "");

    assertThat(l.has("job")).isFalse();
    assertThat(l.get("job")).isEmpty();
    assertThat(l.get("missing")).isEmpty();
    assertThat(l.toBuilder().set("x", "1").set("x", "").build()).isEqualTo(l);
  }

  @Test
  void escapesValuesInToString() {
    Labels l = Labels.of("__name__", "m", "path", "a\\b\"c\nd");

    assertThat(l.toString()).isEqualTo("m{path=\"a\\\\b\\\"c\\nd\"}");
    assertThat(Labels.of("a", "1").toString()).isEqualTo("{a=\"1\"}");
    assertThat(Labels.of("__name__", "up").toString()).isEqualTo("up");
  }

  @Test
  void withoutAndKeepServeByAndWithout() {
    Labels l = Labels.of("__name__", "up", "instance", "a", "job", "b");

    assertThat(l.without("instance")).isEqualTo(Labels.of("__name__", "up", "job", "b"));
    assertThat(l.keep("job", "nope")).isEqualTo(Labels.of("job", "b"));
    assertThat(l.withoutName()).isEqualTo(Labels.of("instance", "a", "job", "b"));
    assertThat(l.without("nope")).isSameAs(l);
  }

  @Test
  void equalsAndHashCodeFollowContentNotInstance() {
    Labels a = Labels.of("x", "1", "y", "2");
    Labels b = Labels.builder().set("y", "2").set("x", "1").build();

    assertThat(a).isEqualTo(b).hasSameHashCodeAs(b);
    assertThat(a).isNotEqualTo(Labels.of("x", "1", "y", "3"));
  }

  @Test
  void ofPairsKeepsCanonicalInputAndRepairsTheRest() {
    assertThat(Labels.ofPairs(new String[] {"b", "2", "a", "1", "c", ""}))
        .isEqualTo(Labels.of("a", "1", "b", "2"));
    assertThat(Labels.ofPairs(new String[] {"a", "1", "a", "2"})).isEqualTo(Labels.of("a", "2"));
  }

  @Test
  void compareToOrdersLabelByLabelThenPrefixFirst() {
    List<Labels> sorted =
        new ArrayList<>(
            List.of(
                Labels.of("a", "2"),
                Labels.of("a", "1", "b", "1"),
                Labels.of("a", "1"),
                Labels.of("b", "0")));
    sorted.sort(null);

    assertThat(sorted)
        .containsExactly(
            Labels.of("a", "1"),
            Labels.of("a", "1", "b", "1"),
            Labels.of("a", "2"),
            Labels.of("b", "0"));
  }
}
