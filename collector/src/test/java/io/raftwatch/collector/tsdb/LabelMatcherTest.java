package io.raftwatch.collector.tsdb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.regex.PatternSyntaxException;
import org.junit.jupiter.api.Test;

class LabelMatcherTest {
  @Test
  void regexIsFullyAnchoredAsInPrometheus() {
    LabelMatcher m = LabelMatcher.re("job", "etcd|raft");

    assertThat(m.matches("etcd")).isTrue();
    assertThat(m.matches("raft")).isTrue();
    assertThat(m.matches("etcd-1")).isFalse();
    assertThat(m.matches("my-etcd")).isFalse();
    assertThat(LabelMatcher.re("x", "a.b").matches("a\nb")).isTrue();
  }

  @Test
  void missingLabelMatchesAsEmptyString() {
    Labels l = Labels.of("__name__", "up");

    assertThat(LabelMatcher.eq("job", "").matches(l)).isTrue();
    assertThat(LabelMatcher.neq("job", "etcd").matches(l)).isTrue();
    assertThat(LabelMatcher.re("job", ".+").matches(l)).isFalse();
    assertThat(LabelMatcher.nre("job", ".+").matches(l)).isTrue();
    assertThat(LabelMatcher.eq("__name__", "up").matches(l)).isTrue();
  }

  @Test
  void invalidRegexFailsAtConstruction() {
    assertThatThrownBy(() -> LabelMatcher.re("job", "("))
        .isInstanceOf(PatternSyntaxException.class);
  }

  @Test
  void printsInPromqlForm() {
    assertThat(LabelMatcher.nre("job", "a\"b").toString()).isEqualTo("job!~\"a\\\"b\"");
    assertThat(LabelMatcher.re("a", "b")).isEqualTo(LabelMatcher.re("a", "b"));
  }

  @Test
  void staleNanIsNaNButDistinguishable() {
    assertThat(Double.isNaN(Samples.STALE_NAN)).isTrue();
    assertThat(Samples.isStale(Samples.STALE_NAN)).isTrue();
    assertThat(Samples.isStale(Double.NaN)).isFalse();
    assertThat(Double.doubleToRawLongBits(Samples.STALE_NAN)).isEqualTo(0x7ff0000000000002L);
  }
}
