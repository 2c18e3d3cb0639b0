package dev.presign.operator.rotation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;
import java.util.stream.DoubleStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RenewalScheduleTest {

  private static final Clock CLOCK =
      Clock.fixed(Instant.parse("2026-11-22T10:00:00.750Z"), ZoneOffset.UTC);
  private static final Instant SIGNED = Instant.parse("2026-11-22T10:00:00Z");
  private static final RenewalSchedule NO_JITTER = new RenewalSchedule(0, Duration.ZERO);
  private static final RenewalSchedule DEFAULT_JITTER =
      new RenewalSchedule(0.1, Duration.ofMinutes(5));

  private static Schedule plan(
      RenewalSchedule schedule,
      Duration expiresIn,
      Duration renewBefore,
      Optional<Instant> credentialsExpireAt,
      double random) {
    return schedule.plan(CLOCK.instant(), expiresIn, renewBefore, credentialsExpireAt, random);
  }

  @Test
  void renewsRenewBeforeAheadOfExpiryInWholeSeconds() {
    Schedule schedule =
        plan(NO_JITTER, Duration.ofHours(1), Duration.ofMinutes(20), Optional.empty(), 0.5);

    assertThat(schedule.issuedAt()).isEqualTo(SIGNED);
    assertThat(schedule.expiresAt()).isEqualTo(SIGNED.plus(Duration.ofHours(1)));
    assertThat(schedule.renewalTime()).isEqualTo(SIGNED.plus(Duration.ofMinutes(40)));
    assertThat(schedule.lifetimeCapped()).isFalse();
  }

  @ParameterizedTest
  @ValueSource(doubles = {0.0, 0.25, 0.5, 0.999999})
  void jitterOnlyMovesTheRenewalEarlierByAtMostATenthOfTheWindow(double random) {
    Schedule schedule =
        plan(DEFAULT_JITTER, Duration.ofHours(1), Duration.ofMinutes(20), Optional.empty(), random);

    assertThat(schedule.renewalTime())
        .isBetween(SIGNED.plus(Duration.ofMinutes(38)), SIGNED.plus(Duration.ofMinutes(40)));
    assertThat(schedule.expiresAt()).isEqualTo(SIGNED.plus(Duration.ofHours(1)));
  }

  @Test
  void jitterSpreadsRenewalsOverItsWholeRange() {
    var renewals =
        DoubleStream.of(0.0, 0.999999)
            .mapToObj(
                random ->
                    plan(
                            DEFAULT_JITTER,
                            Duration.ofHours(1),
                            Duration.ofMinutes(20),
                            Optional.empty(),
                            random)
                        .renewalTime())
            .toList();

    assertThat(renewals)
        .containsExactly(SIGNED.plus(Duration.ofMinutes(40)), SIGNED.plus(Duration.ofMinutes(38)));
  }

  @Test
  void jitterNeverExceedsItsUpperBound() {
    Schedule schedule =
        plan(
            DEFAULT_JITTER,
            Duration.ofHours(168),
            Duration.ofHours(56),
            Optional.empty(),
            0.999999);

    // A tenth of a 56 h window would be 5.6 h; the bound keeps it to 5 minutes.
    assertThat(schedule.renewalTime())
        .isEqualTo(SIGNED.plus(Duration.ofHours(112)).minus(Duration.ofMinutes(5)));
  }

  @Test
  void credentialsExpiryCapsTheLifetime() {
    Instant credentialsExpire = SIGNED.plus(Duration.ofMinutes(30)).plusMillis(900);

    Schedule schedule =
        plan(
            NO_JITTER,
            Duration.ofHours(1),
            Duration.ofMinutes(20),
            Optional.of(credentialsExpire),
            0);

    assertThat(schedule.expiresAt()).isEqualTo(SIGNED.plus(Duration.ofMinutes(30)));
    assertThat(schedule.renewalTime()).isEqualTo(SIGNED.plus(Duration.ofMinutes(10)));
    assertThat(schedule.lifetimeCapped()).isTrue();
  }

  @Test
  void cappedLifetimeShorterThanRenewBeforeRenewsAtTwoThirds() {
    Schedule schedule =
        plan(
            DEFAULT_JITTER,
            Duration.ofHours(1),
            Duration.ofMinutes(20),
            Optional.of(SIGNED.plus(Duration.ofMinutes(15))),
            0);

    assertThat(schedule.expiresAt()).isEqualTo(SIGNED.plus(Duration.ofMinutes(15)));
    assertThat(schedule.renewalTime()).isEqualTo(SIGNED.plus(Duration.ofMinutes(10)));
  }

  @Test
  void credentialsOutlivingTheUrlDoNotCapIt() {
    Schedule schedule =
        plan(
            NO_JITTER,
            Duration.ofHours(1),
            Duration.ofMinutes(20),
            Optional.of(SIGNED.plus(Duration.ofHours(6))),
            0);

    assertThat(schedule.expiresAt()).isEqualTo(SIGNED.plus(Duration.ofHours(1)));
    assertThat(schedule.lifetimeCapped()).isFalse();
  }

  @Test
  void credentialsAboutToExpireCannotSign() {
    assertThatThrownBy(
            () ->
                plan(
                    NO_JITTER,
                    Duration.ofHours(1),
                    Duration.ofMinutes(20),
                    Optional.of(SIGNED.plusSeconds(1)),
                    0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("expire");
  }

  @Test
  void renewalIsNeverSoonerThanASecondAfterSigning() {
    Schedule schedule =
        plan(
            new RenewalSchedule(0.9, Duration.ofHours(1)),
            Duration.ofMinutes(1),
            Duration.ofSeconds(59),
            Optional.empty(),
            0.999999);

    assertThat(schedule.renewalTime()).isEqualTo(SIGNED.plusSeconds(1));
  }

  @Test
  void delayUntilRenewalIsAtLeastOneSecond() {
    Instant now = CLOCK.instant();
    assertThat(RenewalSchedule.delayUntil(now.plusSeconds(90), now))
        .isEqualTo(Duration.ofSeconds(90));
    assertThat(RenewalSchedule.delayUntil(now.minusSeconds(5), now))
        .isEqualTo(Duration.ofSeconds(1));
  }
}
