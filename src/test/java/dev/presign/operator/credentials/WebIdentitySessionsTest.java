package dev.presign.operator.credentials;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.presign.operator.credentials.WebIdentitySessions.Holder;
import dev.presign.operator.it.StsStandIn;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.regions.Region;

/**
 * When a cached session signs and when a fresh one is taken first (R2), against the loopback STS
 * stand-in; the operator's clock is moved by hand (the stand-in's expirations follow the real one,
 * so sessions are told apart by their tokens).
 */
class WebIdentitySessionsTest {

  private static final Holder READER =
      new Holder("arn:aws:iam::111122223333:role/reader", "presign-a-reader", "ServiceAccount a/r");

  private StsStandIn sts;
  private AdvancingClock clock;
  private WebIdentitySessions sessions;

  @BeforeEach
  void start() throws IOException {
    sts = new StsStandIn();
    System.setProperty("aws.endpointUrlSts", sts.endpoint().toString());
    clock = new AdvancingClock();
    sessions = new WebIdentitySessions(Region.EU_WEST_1, Duration.ofHours(1), clock);
  }

  @AfterEach
  void stop() {
    sessions.close();
    System.clearProperty("aws.endpointUrlSts");
    sts.close();
  }

  private SigningCredentials sign(Duration lifetime) {
    return sessions.credentials(READER, lifetime, () -> "token");
  }

  private static String sessionToken(SigningCredentials signing) {
    return ((AwsSessionCredentials) signing.credentials()).sessionToken();
  }

  @Test
  void linksOfOneHolderShareASessionForItsFirstThirdThenAFreshOneIsTaken() {
    sts.limitSessionsTo(Duration.ofMinutes(30));

    String first = sessionToken(sign(Duration.ofHours(24)));
    for (int link = 0; link < 100; link++) {
      assertThat(sessionToken(sign(Duration.ofHours(24)))).isEqualTo(first);
    }
    clock.advance(Duration.ofMinutes(9));
    assertThat(sessionToken(sign(Duration.ofHours(24)))).isEqualTo(first);
    assertThat(sts.calls()).hasSize(1);

    // 19 of 30 minutes left: a fresh session gives the next URL 30 again.
    clock.advance(Duration.ofMinutes(2));
    assertThat(sessionToken(sign(Duration.ofHours(24)))).isNotEqualTo(first);
    assertThat(sts.calls()).hasSize(2);
  }

  @Test
  void sessionsLastAsLongAsTheLinkAsksWithinTheStsMinimumAndTheConfiguredMaximum() {
    sign(Duration.ofMinutes(5));
    sessions.credentials(
        new Holder(READER.roleArn(), "other", "other"), Duration.ofMinutes(40), () -> "token");
    sessions.credentials(
        new Holder(READER.roleArn(), "third", "third"), Duration.ofHours(24), () -> "token");

    assertThat(sts.calls())
        .extracting(StsStandIn.Call::durationSeconds)
        .containsExactly(15 * 60, 40 * 60, 60 * 60);
  }

  @Test
  void aShortLinkKeepsUsingALongSessionWhileTwoThirdsOfItsLifetimeRemain() {
    sign(Duration.ofHours(1));
    clock.advance(Duration.ofMinutes(40));
    sign(Duration.ofMinutes(20));
    assertThat(sts.calls()).hasSize(1);

    // 10 minutes left, less than two thirds of 20: the URL would be cut short.
    clock.advance(Duration.ofMinutes(10));
    sign(Duration.ofMinutes(20));
    assertThat(sts.calls()).hasSize(2);
  }

  @Test
  void aRefusalNamesTheRoleAndWhoAskedForIt() {
    sts.refuse(READER.roleArn());

    assertThatThrownBy(() -> sign(Duration.ofHours(1)))
        .isInstanceOf(CredentialsUnavailableException.class)
        .hasMessageContaining("AccessDenied")
        .hasMessageContaining(READER.roleArn())
        .hasMessageContaining("ServiceAccount a/r");
  }

  @Test
  void sessionNamesKeepToWhatStsAccepts() {
    assertThat(WebIdentitySessions.sessionName("presign-team a-reader/x"))
        .isEqualTo("presign-team-a-reader-x");
    assertThat(WebIdentitySessions.sessionName("presign-" + "n".repeat(80))).hasSize(64);
  }

  /** The system clock, moved forward by the test. */
  private static final class AdvancingClock extends Clock {
    private volatile Duration offset = Duration.ZERO;

    void advance(Duration by) {
      offset = offset.plus(by);
    }

    @Override
    public Instant instant() {
      return Instant.now().plus(offset);
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      throw new UnsupportedOperationException();
    }
  }
}
