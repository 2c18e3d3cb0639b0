package dev.presign.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RelativeTimeTest {

  private static final Instant NOW = Instant.parse("2026-11-22T10:00:00Z");

  @ParameterizedTest(name = "{0} s from now reads \"{1}\"")
  @CsvSource({
    "0, now",
    "0.4, now",
    "1, in 1s",
    "59, in 59s",
    "60, in 1m",
    "65, in 1m5s",
    "3600, in 1h",
    "11520, in 3h12m",
    "11525, in 3h12m",
    "86400, in 1d",
    "183600, in 2d3h",
    "-300, 5m ago",
    "-7260, 2h1m ago"
  })
  void aTimeReadsAsItsTwoLargestUnitsFromNow(double seconds, String expected) {
    Instant time = NOW.plusMillis((long) (seconds * 1000));
    assertThat(RelativeTime.of(time, NOW)).isEqualTo(expected);
  }
}
