package dev.presign.operator.credentials;

import java.time.Duration;

/**
 * When to ask STS again after failed calls in a row (R8). An STS that is down or hangs is asked
 * again within seconds, so that links recover soon after it answers; a throttling STS is given
 * longer, growing pauses. Both are jittered, so that the identities of one operator (and the
 * replicas of many) do not ask in step.
 */
final class StsBackoff {

  private static final Duration FIRST = Duration.ofSeconds(1);
  private static final Duration LONGEST = Duration.ofSeconds(10);
  private static final Duration FIRST_THROTTLED = Duration.ofSeconds(5);
  private static final Duration LONGEST_THROTTLED = Duration.ofMinutes(2);

  private StsBackoff() {}

  /**
   * @param failures failed calls in a row, at least 1
   * @param throttled whether STS said Throttling (HTTP 400 or 429 with that code)
   * @param random in [0, 1): the pause is drawn from its upper half
   */
  static Duration after(int failures, boolean throttled, double random) {
    Duration first = throttled ? FIRST_THROTTLED : FIRST;
    Duration longest = throttled ? LONGEST_THROTTLED : LONGEST;
    int doublings = Math.min(failures - 1, 16);
    long millis = Math.min(first.toMillis() << doublings, longest.toMillis());
    return Duration.ofMillis((long) (millis * (0.5 + random / 2)));
  }
}
