package io.raftwatch.collector.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.raftwatch.collector.promql.GoNumbers;
import org.junit.jupiter.api.Test;

/**
 * Number formats of the Prometheus API, against what Go prints: {@code marshalTimestamp} for point
 * times and {@code FormatFloat(v, 'e', -1, 64)} for alert values.
 */
class PromJsonTest {
  @Test
  void timestampsAreSecondsWithExactlyThreeDecimalsUnlessWhole() {
    assertThat(PromJson.timestamp(1_700_000_000_000L)).isEqualTo("1700000000");
    assertThat(PromJson.timestamp(1_700_000_000_500L)).isEqualTo("1700000000.500");
    assertThat(PromJson.timestamp(1_700_000_000_007L)).isEqualTo("1700000000.007");
    assertThat(PromJson.timestamp(-1_500L)).isEqualTo("-1.500");
    assertThat(PromJson.timestamp(0)).isEqualTo("0");
  }

  @Test
  void alertValuesUseGosShortestExponentForm() {
    assertThat(GoNumbers.formatE(1)).isEqualTo("1e+00");
    assertThat(GoNumbers.formatE(0)).isEqualTo("0e+00");
    assertThat(GoNumbers.formatE(0.5)).isEqualTo("5e-01");
    assertThat(GoNumbers.formatE(123.456)).isEqualTo("1.23456e+02");
    assertThat(GoNumbers.formatE(-2.5e-123)).isEqualTo("-2.5e-123");
    assertThat(GoNumbers.formatE(Double.NaN)).isEqualTo("NaN");
    assertThat(GoNumbers.formatE(Double.NEGATIVE_INFINITY)).isEqualTo("-Inf");
  }
}
