package io.raftwatch.collector.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.raftwatch.collector.tsdb.Samples;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** promtool's expanding notation for input series. */
class SeriesValuesTest {
  @Test
  void expandsEveryForm() {
    assertThat(SeriesValues.parse("0+10x3")).containsExactly(0.0, 10.0, 20.0, 30.0);
    assertThat(SeriesValues.parse("5-2x2 7x2")).containsExactly(5.0, 3.0, 1.0, 7.0, 7.0, 7.0);
    assertThat(SeriesValues.parse("-1+1x2 1e3")).containsExactly(-1.0, 0.0, 1.0, 1000.0);
    assertThat(SeriesValues.parse("1 _ _x2 2")).isEqualTo(Arrays.asList(1.0, null, null, null, 2.0));
  }

  @Test
  void staleIsTheStalenessMarker() {
    List<Double> v = SeriesValues.parse("1 stale Inf NaN");
    assertThat(Samples.isStale(v.get(1))).isTrue();
    assertThat(v.get(2)).isEqualTo(Double.POSITIVE_INFINITY);
    assertThat(v.get(3)).isNaN();
    assertThat(Samples.isStale(v.get(3))).isFalse();
  }

  @Test
  void rejectsWhatIsNotAValue() {
    assertThatThrownBy(() -> SeriesValues.parse("1 two 3"))
        .hasMessage("invalid value \"two\" in series values");
  }
}
