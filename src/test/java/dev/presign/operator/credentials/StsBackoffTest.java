package dev.presign.operator.credentials;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class StsBackoffTest {

  @ParameterizedTest(name = "failure {0}, throttled {1}, random {2}: {3}")
  @CsvSource({
    // An STS that is down is asked again within seconds, however long it stays down.
    "1,  false, 0.99, PT0.995S",
    "1,  false, 0.0,  PT0.5S",
    "2,  false, 0.99, PT1.99S",
    "4,  false, 0.99, PT7.96S",
    "5,  false, 0.99, PT9.95S",
    "50, false, 0.99, PT9.95S",
    // A throttling one is given longer, growing pauses, up to two minutes.
    "1,  true,  0.0,  PT2.5S",
    "1,  true,  0.99, PT4.975S",
    "3,  true,  0.99, PT19.9S",
    "50, true,  0.99, PT1M59.4S",
  })
  void pausesGrowWithFailuresInARowUpToTheirCeiling(
      int failures, boolean throttled, double random, Duration pause) {
    assertThat(StsBackoff.after(failures, throttled, random)).isEqualTo(pause);
  }
}
