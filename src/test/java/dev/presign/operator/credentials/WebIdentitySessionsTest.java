package dev.presign.operator.credentials;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.presign.operator.credentials.WebIdentitySessions.Holder;
import dev.presign.operator.it.StsStandIn;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.regions.Region;

/**
 * When a cached session signs, when a fresh one is taken first (R2), and what links get while STS
 * fails (DESIGN §4), against the loopback STS stand-in; the operator's clock is moved by hand (the
 * stand-in's expirations follow the real one, so sessions are told apart by their tokens), and the
 * background refresh is run by hand as its timer would run it.
 */
class WebIdentitySessionsTest {

  private static final Holder READER =
      new Holder("arn:aws:iam::111122223333:role/reader", "presign-a-reader", "ServiceAccount a/r");

  private static final Duration STS_TIMEOUT = Duration.ofSeconds(2);

  private StsStandIn sts;
  private AdvancingClock clock;
  private SimpleMeterRegistry meters;
  private WebIdentitySessions sessions;

  @BeforeEach
  void start() throws IOException {
    sts = new StsStandIn();
    System.setProperty("aws.endpointUrlSts", sts.endpoint().toString());
    clock = new AdvancingClock();
    meters = new SimpleMeterRegistry();
    sessions =
        new WebIdentitySessions(
            Region.EU_WEST_1, Duration.ofHours(1), STS_TIMEOUT, clock, meters, false);
  }

  @AfterEach
  void stop() {
    sessions.close();
    System.clearProperty("aws.endpointUrlSts");
    sts.close();
  }

  private SigningCredentials sign(Duration lifetime) {
    return sessions.credentials(READER, lifetime, lifetime.dividedBy(3), () -> "token");
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
        new Holder(READER.roleArn(), "other", "other"),
        Duration.ofMinutes(40),
        Duration.ofMinutes(10),
        () -> "token");
    sessions.credentials(
        new Holder(READER.roleArn(), "third", "third"),
        Duration.ofHours(24),
        Duration.ofHours(8),
        () -> "token");

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
  void manyLinksAskingAtOnceCauseOneStsCall() throws Exception {
    ExecutorService reconcilers = Executors.newFixedThreadPool(16);
    try {
      List<Future<SigningCredentials>> signed = new ArrayList<>();
      for (int link = 0; link < 500; link++) {
        signed.add(reconcilers.submit(() -> sign(Duration.ofHours(1))));
      }
      for (Future<SigningCredentials> each : signed) {
        assertThat(sessionToken(each.get())).isEqualTo("session-1");
      }
    } finally {
      reconcilers.shutdownNow();
    }
    assertThat(sts.calls()).hasSize(1);
  }

  @Test
  void theSessionIsRefreshedInTheBackgroundBeforeAnyLinkFindsItStale() {
    sts.limitSessionsTo(Duration.ofMinutes(30));
    String first = sessionToken(sign(Duration.ofHours(1)));

    clock.advance(Duration.ofMinutes(8));
    sessions.refreshDue();
    assertThat(sts.calls()).as("22 of 30 minutes left: nothing due yet").hasSize(1);

    clock.advance(Duration.ofMinutes(1));
    sessions.refreshDue();
    sessions.refreshDue();
    await().atMost(Duration.ofSeconds(5)).until(() -> sts.calls().size() == 2);
    clock.advance(Duration.ofMinutes(1));
    for (int link = 0; link < 100; link++) {
      assertThat(sessionToken(sign(Duration.ofHours(1)))).isNotEqualTo(first);
    }
    assertThat(sts.calls()).as("one call per refresh, however many links sign").hasSize(2);
  }

  @Test
  void anIdentityNoLinkAskedForSinceItsSessionIsNotRefreshed() {
    sts.limitSessionsTo(Duration.ofMinutes(30));
    sign(Duration.ofHours(1));

    clock.advance(Duration.ofMinutes(20));
    sessions.refreshDue();

    assertThat(sts.calls()).hasSize(1);
  }

  @Test
  void whileStsHangsTheSessionInHandSignsAsLongAsItOutlivesRenewBefore() {
    sts.limitSessionsTo(Duration.ofMinutes(30));
    String inHand = sessionToken(signRenewingBefore(Duration.ofMinutes(10)));
    sts.hangEveryCall();

    // Stale (18 of 30 minutes left): the first link waits for one call, which times out, and
    // signs with the session in hand, capped at its end.
    clock.advance(Duration.ofMinutes(12));
    SigningCredentials capped = signRenewingBefore(Duration.ofMinutes(10));
    assertThat(sessionToken(capped)).isEqualTo(inHand);
    assertThat(capped.expiresAt()).isPresent();
    for (int link = 0; link < 50; link++) {
      assertThat(sessionToken(signRenewingBefore(Duration.ofMinutes(10)))).isEqualTo(inHand);
    }
    assertThat(sts.calls()).as("one call at a time, retried after a pause").hasSizeLessThan(4);

    // 19 minutes into the hang, 11 minutes left: still more than a renewBefore of 10 minutes.
    clock.advance(Duration.ofMinutes(7));
    assertThat(sessionToken(signRenewingBefore(Duration.ofMinutes(10)))).isEqualTo(inHand);
    assertThatThrownBy(() -> signRenewingBefore(Duration.ofMinutes(20)))
        .as("a link that renews 20 minutes before expiry cannot be served by 11 minutes")
        .isInstanceOf(CredentialsUnavailableException.class)
        .hasMessageContaining("cannot reach STS for the role " + READER.roleArn())
        .hasMessageContaining("too soon for a URL that lasts renewBefore (PT20M)");
  }

  @Test
  void whenStsAnswersAgainTheNextTryWithinSecondsGivesAFreshSessionAndTellsTheListeners() {
    List<Holder> recovered = new CopyOnWriteArrayList<>();
    sessions.onRecovery(recovered::add);
    sts.failEveryCall();
    assertThatThrownBy(() -> sign(Duration.ofHours(1)))
        .isInstanceOf(CredentialsUnavailableException.class)
        .hasMessageContaining("ServiceUnavailable");

    // Retried in the background after pauses of seconds, not at the links' next retries.
    clock.advance(Duration.ofSeconds(1));
    sessions.refreshDue();
    await().atMost(Duration.ofSeconds(5)).until(() -> calls("refused") == 2);
    clock.advance(Duration.ofSeconds(2));
    sessions.refreshDue();
    await().atMost(Duration.ofSeconds(5)).until(() -> calls("refused") == 3);
    assertThat(recovered).isEmpty();

    sts.answer();
    clock.advance(Duration.ofSeconds(4));
    sessions.refreshDue();
    await().atMost(Duration.ofSeconds(5)).until(() -> recovered.equals(List.of(READER)));
    assertThat(calls("success")).isEqualTo(1);
    String fresh = sessionToken(sign(Duration.ofHours(1)));
    assertThat(fresh).isEqualTo("session-" + sts.calls().size());
  }

  @Test
  void aThrottlingStsIsAskedAgainOnlyAfterALongerPause() {
    sts.throttleEveryCall();
    assertThatThrownBy(() -> sign(Duration.ofHours(1)))
        .isInstanceOf(CredentialsUnavailableException.class)
        .hasMessageContaining("Throttling: Rate exceeded");

    clock.advance(Duration.ofSeconds(2));
    sessions.refreshDue();
    assertThat(sts.calls()).as("a throttled call waits at least 2.5 s").hasSize(1);
    clock.advance(Duration.ofSeconds(3));
    sessions.refreshDue();
    await().atMost(Duration.ofSeconds(5)).until(() -> calls("throttled") == 2);
  }

  private SigningCredentials signRenewingBefore(Duration renewBefore) {
    return sessions.credentials(READER, Duration.ofHours(1), renewBefore, () -> "token");
  }

  /** STS calls of the reader's role with this result, as presign_sts_calls_total counts them. */
  private double calls(String result) {
    return meters.counter("presign.sts.calls", "role", READER.roleArn(), "result", result).count();
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
