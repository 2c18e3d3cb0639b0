package dev.presign.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine.TypeConversionException;

class DurationArgumentTest {

  @ParameterizedTest(name = "{0} is {1} seconds")
  @CsvSource({"2m, 120", "90s, 90", "1h30m, 5400", "45, 45", "1m30s, 90"})
  void goDurationsAndBareSecondsAreRead(String value, long seconds) {
    assertThat(DurationArgument.parse(value)).isEqualTo(Duration.ofSeconds(seconds));
  }

  @ParameterizedTest(name = "{0} is refused")
  @ValueSource(strings = {"2 m", "two", "2d", "1h-5m", ""})
  void anythingElseIsRefusedWithAnExample(String value) {
    assertThatThrownBy(() -> DurationArgument.parse(value))
        .isInstanceOf(TypeConversionException.class);
  }
}
