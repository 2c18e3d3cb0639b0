package dev.presign.operator.validation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class GoDurationTest {

  @ParameterizedTest
  @CsvSource({
    "90s, PT1M30S",
    "15m, PT15M",
    "168h, PT168H",
    "1h30m, PT1H30M",
    "1.5h, PT1H30M",
    "2h45m30s, PT2H45M30S",
    "500ms, PT0.5S"
  })
  void parsesWhatKubernetesUsersWrite(String text, Duration expected) {
    assertThat(GoDuration.parse(text)).isEqualTo(expected);
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "7d", "1 h", "h", "-5m", "1h30", "soon", "1h 30m"})
  void refusesAnythingElseSayingWhatIsExpected(String text) {
    assertThatThrownBy(() -> GoDuration.parse(text)).isInstanceOf(IllegalArgumentException.class);
  }

  @ParameterizedTest
  @ValueSource(strings = {"7d", "soon"})
  void namesTheTextItRefuses(String text) {
    assertThatThrownBy(() -> GoDuration.parse(text)).hasMessageContaining("'" + text + "'");
  }
}
