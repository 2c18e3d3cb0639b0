package dev.presign.operator.rotation;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class IssueDecisionTest {

  private static final Instant ISSUED = Instant.parse("2026-11-22T10:00:00Z");
  private static final Instant RENEWAL = ISSUED.plusSeconds(2400);

  private static Optional<IssuedUrl> url(long generation, boolean intact) {
    return Optional.of(
        new IssuedUrl(
            generation,
            ISSUED,
            ISSUED.plusSeconds(3600),
            RENEWAL,
            Optional.empty(),
            1,
            "sha256:00",
            intact));
  }

  @Test
  void validUrlForTheCurrentSpecIsLeftAlone() {
    assertThat(IssueDecision.decide(url(3, true), 3, false, RENEWAL.minusSeconds(1)))
        .isEqualTo(IssueDecision.NOT_DUE);
  }

  @Test
  void newUrlIsDueForEachReason() {
    assertThat(IssueDecision.decide(Optional.empty(), 3, false, ISSUED))
        .isEqualTo(IssueDecision.NO_URL);
    assertThat(IssueDecision.decide(url(3, false), 3, false, ISSUED))
        .isEqualTo(IssueDecision.SECRET_EDITED);
    assertThat(IssueDecision.decide(url(2, true), 3, false, ISSUED))
        .isEqualTo(IssueDecision.SPEC_CHANGED);
    assertThat(IssueDecision.decide(url(3, true), 3, false, RENEWAL))
        .isEqualTo(IssueDecision.RENEWAL_DUE);
  }

  @Test
  void aRotationRequestIsDueWhileTheUrlIsValid() {
    assertThat(IssueDecision.decide(url(3, true), 3, true, ISSUED))
        .isEqualTo(IssueDecision.ROTATION_REQUESTED);
    assertThat(IssueDecision.decide(url(2, true), 3, true, ISSUED))
        .as("a spec change re-signs anyway, and handles the request with it")
        .isEqualTo(IssueDecision.SPEC_CHANGED);
  }

  @Test
  void aRequestedRotationWaitsForTheNextSecondRatherThanRepeatTheUrl() {
    assertThat(
            IssueDecision.ROTATION_REQUESTED.repeatsCurrent(url(3, true), ISSUED.plusMillis(400)))
        .isTrue();
    assertThat(IssueDecision.ROTATION_REQUESTED.repeatsCurrent(url(3, true), ISSUED.plusSeconds(1)))
        .isFalse();
    assertThat(IssueDecision.SPEC_CHANGED.repeatsCurrent(url(2, true), ISSUED)).isFalse();
  }

  @Test
  void onlyNotDueSkipsSigning() {
    for (IssueDecision decision : IssueDecision.values()) {
      assertThat(decision.isDue()).isEqualTo(decision != IssueDecision.NOT_DUE);
    }
  }
}
