package dev.presign.cli;

import java.time.Duration;
import java.time.Instant;

/**
 * Times as a person reads them next to "now": "in 3h12m", "5m ago". Two units at most, the larger
 * first, as kubectl prints ages; seconds are dropped once the time is an hour or more away.
 */
public final class RelativeTime {

  private RelativeTime() {}

  /** "in 3h12m" for a time ahead of now, "3h12m ago" for one behind it, "now" within a second. */
  public static String of(Instant time, Instant now) {
    Duration between = Duration.between(now, time);
    if (between.abs().getSeconds() < 1) {
      return "now";
    }
    String span = span(between.abs());
    return between.isNegative() ? span + " ago" : "in " + span;
  }

  /** A duration as its two largest units: 2d3h, 3h12m, 12m5s, 42s. */
  public static String span(Duration duration) {
    long seconds = duration.abs().getSeconds();
    long days = seconds / 86_400;
    long hours = seconds % 86_400 / 3_600;
    long minutes = seconds % 3_600 / 60;
    long secs = seconds % 60;
    if (days > 0) {
      return days + "d" + (hours > 0 ? hours + "h" : "");
    }
    if (hours > 0) {
      return hours + "h" + (minutes > 0 ? minutes + "m" : "");
    }
    if (minutes > 0) {
      return minutes + "m" + (secs > 0 ? secs + "s" : "");
    }
    return secs + "s";
  }
}
