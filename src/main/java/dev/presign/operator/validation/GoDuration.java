package dev.presign.operator.validation;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Parses Go duration strings ("90s", "1h30m", "1.5h"), the syntax Kubernetes users know. */
public final class GoDuration {

  private static final Pattern PART = Pattern.compile("([0-9]+(?:\\.[0-9]+)?)(ns|us|µs|ms|s|m|h)");
  private static final Map<String, Long> NANOS_PER_UNIT =
      Map.of(
          "ns", 1L,
          "us", 1_000L,
          "µs", 1_000L,
          "ms", 1_000_000L,
          "s", 1_000_000_000L,
          "m", 60_000_000_000L,
          "h", 3_600_000_000_000L);

  private GoDuration() {}

  /**
   * @throws IllegalArgumentException when the text is not a Go duration
   */
  public static Duration parse(String text) {
    if (text == null || text.isEmpty()) {
      throw new IllegalArgumentException("empty duration");
    }
    Matcher matcher = PART.matcher(text);
    BigDecimal nanos = BigDecimal.ZERO;
    int end = 0;
    while (matcher.find() && matcher.start() == end) {
      nanos =
          nanos.add(
              new BigDecimal(matcher.group(1))
                  .multiply(BigDecimal.valueOf(NANOS_PER_UNIT.get(matcher.group(2)))));
      end = matcher.end();
    }
    if (end != text.length()) {
      throw new IllegalArgumentException(
          "'" + text + "' is not a duration like 90s, 15m, 12h or 1h30m");
    }
    return Duration.ofNanos(nanos.longValueExact());
  }
}
