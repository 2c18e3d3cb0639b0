package dev.presign.operator.rotation;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class IssueDecisionTest {

  private static final Instant ISSUED = Instant.parse("2026-11-22T10:00:00Z");
  private static final Instant RENEWAL = ISSUED.plusSeconds(2400);
  private static final String SIGNED_SPEC = "sha256:5bec";

  private static Optional<IssuedUrl> url(long generation, boolean intact) {
    return url(generation, intact, Optional.of(SIGNED_SPEC));
  }

  private static Optional<IssuedUrl> url(
      long generation, boolean intact, Optional<String> signedSpec) {
    return Optional.of(
        new IssuedUrl(
            generation,
            ISSUED,
            ISSUED.plusSeconds(3600),
            RENEWAL,
            Optional.empty(),
            1,
            "sha256:00",
            intact,
            signedSpec));
  }

  private static IssueDecision decide(Optional<IssuedUrl> url, boolean requested, Instant now) {
    return IssueDecision.decide(url, 3, SIGNED_SPEC, requested, now);
  }

  @Test
  void validUrlForTheCurrentSpecIsLeftAlone() {
    assertThat(decide(url(3, true), false, RENEWAL.minusSeconds(1)))
        .isEqualTo(IssueDecision.NOT_DUE);
  }

  @Test
  void newUrlIsDueForEachReason() {
    assertThat(decide(Optional.empty(), false, ISSUED)).isEqualTo(IssueDecision.NO_URL);
    assertThat(decide(url(3, false), false, ISSUED)).isEqualTo(IssueDecision.SECRET_EDITED);
    assertThat(IssueDecision.decide(url(2, true), 3, "sha256:other", false, ISSUED))
        .isEqualTo(IssueDecision.SPEC_CHANGED);
    assertThat(decide(url(3, true), false, RENEWAL)).isEqualTo(IssueDecision.RENEWAL_DUE);
  }

  /**
   * A new generation whose spec, templates aside, is the one the URL was signed for: the URL in
   * hand serves it unless something else makes a new one due.
   *
   * <p>Columns: the fingerprint the Secret records (none: written before it was recorded), whether
   * a rotation is requested, seconds after the issue, the decision.
   */
  @ParameterizedTest(name = "recorded {0}, requested {1}, at +{2}s -> {3}")
  @CsvSource({
    "sha256:5bec,  false, 60,   TEMPLATES_CHANGED",
    "sha256:5bec,  true,  60,   ROTATION_REQUESTED",
    "sha256:5bec,  false, 2400, RENEWAL_DUE",
    "sha256:other, false, 60,   SPEC_CHANGED",
    "'',           false, 60,   SPEC_CHANGED",
    "'',           true,  60,   SPEC_CHANGED"
  })
  void aNewGenerationSignsOnlyWhenWhatTheUrlIsSignedForChanged(
      String recorded, boolean requested, long seconds, IssueDecision expected) {
    Optional<String> signedSpec = Optional.of(recorded).filter(digest -> !digest.isEmpty());
    assertThat(decide(url(2, true, signedSpec), requested, ISSUED.plusSeconds(seconds)))
        .isEqualTo(expected);
  }

  @Test
  void anEditedUrlIsReplacedWhateverChangedInTheSpec() {
    assertThat(decide(url(2, false), false, ISSUED)).isEqualTo(IssueDecision.SECRET_EDITED);
  }

  @Test
  void aRotationRequestIsDueWhileTheUrlIsValid() {
    assertThat(decide(url(3, true), true, ISSUED)).isEqualTo(IssueDecision.ROTATION_REQUESTED);
    assertThat(IssueDecision.decide(url(2, true), 3, "sha256:other", true, ISSUED))
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
  void onlyNotDueAndChangedTemplatesSkipSigning() {
    for (IssueDecision decision : IssueDecision.values()) {
      assertThat(decision.isDue())
          .isEqualTo(
              decision != IssueDecision.NOT_DUE && decision != IssueDecision.TEMPLATES_CHANGED);
    }
  }

  @Test
  void theUrlInHandServesTheNewGenerationAsItIs() {
    IssuedUrl served = url(2, true).orElseThrow().serving(3);
    assertThat(served.generation()).isEqualTo(3);
    assertThat(served)
        .usingRecursiveComparison()
        .ignoringFields("generation")
        .isEqualTo(url(2, true).orElseThrow());
  }
}
