package dev.presign.operator.rotation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.presign.operator.rotation.RotationGroup.Member;
import dev.presign.operator.rotation.RotationGroup.NoRestart;
import dev.presign.operator.rotation.RotationGroup.RestartNow;
import dev.presign.operator.rotation.RotationGroup.WaitUntil;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** R9's arithmetic with a fixed clock: links of one restart target rotate and restart together. */
class RotationGroupTest {

  private static final Instant T = Instant.parse("2026-12-02T10:00:00Z");

  /** A URL of a 1-minute link with renewBefore 40s, issued {@code at} seconds after T. */
  private static Member rotatedAt(long at, long rotations) {
    Instant issued = T.plusSeconds(at);
    return new Member(issued, issued.plusSeconds(20), issued.plusSeconds(60), rotations, true);
  }

  @Test
  void renewalMovesToTheEarliestOfTheGroupNeverLater() {
    Instant planned = T.plusSeconds(20);

    assertThat(
            RotationGroup.alignedRenewal(T, planned, List.of(T.plusSeconds(14), T.plusSeconds(17))))
        .isEqualTo(T.plusSeconds(14));
    assertThat(RotationGroup.alignedRenewal(T, planned, List.of(T.plusSeconds(25))))
        .as("never later")
        .isEqualTo(planned);
    assertThat(RotationGroup.alignedRenewal(T, planned, List.of())).isEqualTo(planned);
  }

  @Test
  void aRenewalBeforeHalfTheLinksOwnPeriodIsNotTaken() {
    Instant planned = T.plusSeconds(20);

    assertThat(RotationGroup.alignedRenewal(T, planned, List.of(T.plusSeconds(3))))
        .isEqualTo(planned);
    assertThat(
            RotationGroup.alignedRenewal(T, planned, List.of(T.plusSeconds(3), T.plusSeconds(10))))
        .isEqualTo(T.plusSeconds(10));
  }

  @Test
  void noRestartWithoutARotationSinceTheLastOne() {
    List<Member> members = List.of(rotatedAt(0, 3), rotatedAt(1, 3));

    assertThat(RotationGroup.restart(members, Optional.of(T.plusSeconds(1)), T.plusSeconds(2)))
        .isInstanceOf(NoRestart.class);
    assertThat(RotationGroup.restart(List.of(rotatedAt(0, 1)), Optional.empty(), T.plusSeconds(2)))
        .as("a first URL is not a rotation")
        .isInstanceOf(NoRestart.class);
  }

  @Test
  void restartsOnceAllHaveRotatedWithTheNewestIssueTime() {
    List<Member> members = List.of(rotatedAt(0, 4), rotatedAt(1, 4), rotatedAt(2, 4));

    assertThat(RotationGroup.restart(members, Optional.of(T.minusSeconds(20)), T.plusSeconds(2)))
        .isEqualTo(new RestartNow(T.plusSeconds(2)));
  }

  @Test
  void waitsForALinkStillDueButNotPastAQuarterOfTheWindow() {
    Member due = new Member(T.minusSeconds(20), T, T.plusSeconds(40), 3, true);
    List<Member> members = List.of(rotatedAt(0, 4), due);

    assertThat(RotationGroup.restart(members, Optional.of(T.minusSeconds(20)), T.plusSeconds(1)))
        .as("look again soon")
        .isEqualTo(new WaitUntil(T.plusSeconds(3)));
    assertThat(RotationGroup.restart(members, Optional.of(T.minusSeconds(20)), T.plusSeconds(9)))
        .as("the window is 40 s: wait 10 s at most")
        .isEqualTo(new WaitUntil(T.plusSeconds(10)));
    assertThat(RotationGroup.restart(members, Optional.of(T.minusSeconds(20)), T.plusSeconds(10)))
        .isEqualTo(new RestartNow(T));
  }

  @Test
  void aLinkDueWithinTheWaitIsPartOfTheRotationEvenIfNotAligned() {
    Member dueSoon = new Member(T.minusSeconds(19), T.plusSeconds(1), T.plusSeconds(41), 3, true);
    List<Member> members = List.of(rotatedAt(0, 4), dueSoon);

    assertThat(RotationGroup.restart(members, Optional.of(T.minusSeconds(19)), T))
        .as("its renewal comes before the wait is over")
        .isInstanceOf(WaitUntil.class);
    assertThat(
            RotationGroup.restart(
                List.of(rotatedAt(0, 4), rotatedAt(1, 4)),
                Optional.of(T.minusSeconds(20)),
                T.plusSeconds(1)))
        .isEqualTo(new RestartNow(T.plusSeconds(1)));
  }

  @Test
  void aFailingLinkDoesNotHoldTheRestartBack() {
    Member failing = new Member(T.minusSeconds(20), T.plusSeconds(30), T.plusSeconds(40), 3, false);
    List<Member> members = List.of(rotatedAt(0, 4), failing);

    assertThat(RotationGroup.restart(members, Optional.of(T.minusSeconds(20)), T.plusSeconds(1)))
        .isInstanceOf(WaitUntil.class);
    assertThat(RotationGroup.restart(members, Optional.of(T.minusSeconds(20)), T.plusSeconds(11)))
        .isEqualTo(new RestartNow(T));
  }
}
