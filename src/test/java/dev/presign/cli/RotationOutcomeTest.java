package dev.presign.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.presign.cli.RotateCommand.Outcome;
import dev.presign.operator.api.v1alpha1.PresignedObjectLink;
import org.junit.jupiter.api.Test;

class RotationOutcomeTest {

  private static final String REQUEST = "2026-11-22T14:48:00.123Z";

  @Test
  void aReadyLinkWhoseStatusRecordsTheRequestIsRotated() {
    PresignedObjectLink link = SampleLinks.ready("q3-report");
    link.getStatus().setLastHandledRotationRequest(REQUEST);
    assertThat(Outcome.of(link, REQUEST)).isEqualTo(Outcome.ROTATED);
  }

  @Test
  void aReadyLinkWithAnEarlierRequestHandledIsStillPending() {
    PresignedObjectLink link = SampleLinks.ready("q3-report");
    link.getStatus().setLastHandledRotationRequest("2026-11-01T00:00:00Z");
    assertThat(Outcome.of(link, REQUEST)).isEqualTo(Outcome.PENDING);
  }

  @Test
  void aLinkWithoutStatusIsPending() {
    assertThat(Outcome.of(SampleLinks.link("q3-report"), REQUEST)).isEqualTo(Outcome.PENDING);
  }

  @Test
  void aStalledLinkFailsAtOnceForWaitingWouldNotHelp() {
    assertThat(Outcome.of(SampleLinks.notPermitted("q3-report"), REQUEST))
        .isEqualTo(Outcome.FAILED);
  }

  @Test
  void aDeletedLinkFails() {
    assertThat(Outcome.of(null, REQUEST)).isEqualTo(Outcome.FAILED);
  }
}
