package dev.presign.operator.rotation;

import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Pure arithmetic of rule R9: links that name the same workload in restartTargets rotate together,
 * and the workload restarts once per rotation, after all of them hold their new URLs.
 */
public final class RotationGroup {

  /** Longest wait for the other links of a rotation before the workload restarts anyway. */
  static final Duration MAX_WAIT = Duration.ofMinutes(1);

  /** How often to look again while waiting: the other links rotate within seconds. */
  static final Duration RECHECK = Duration.ofSeconds(2);

  /**
   * What one link of the group shows of its current URL.
   *
   * @param current whether the URL was issued for the link's current spec and is not due
   */
  public record Member(
      Instant issuedAt, Instant renewalTime, Instant expiresAt, long rotations, boolean current) {

    boolean rotated() {
      return rotations > 1;
    }
  }

  /** What to do about the workload now. */
  public sealed interface RestartDecision {}

  /** Nothing: no link rotated since the last restart. */
  public record NoRestart() implements RestartDecision {}

  /** Restart now, with this value of presign.dev/restartedAt (the same for every link). */
  public record RestartNow(Instant restartedAt) implements RestartDecision {}

  /** Some links have not rotated yet: look again at this time. */
  public record WaitUntil(Instant time) implements RestartDecision {}

  private RotationGroup() {}

  /**
   * The renewal of a URL issued at {@code issuedAt}: its own planned renewal, moved to the earliest
   * renewal of the other links of its group, earlier and never later. A renewal that comes before
   * half of the link's own period is not taken: the link would rotate again at once, and it joins
   * the group at the rotation after.
   */
  public static Instant alignedRenewal(
      Instant issuedAt, Instant planned, Collection<Instant> otherRenewals) {
    Instant halfPeriod = issuedAt.plus(Duration.between(issuedAt, planned).dividedBy(2));
    return otherRenewals.stream()
        .filter(renewal -> !renewal.isBefore(halfPeriod))
        .filter(renewal -> renewal.isBefore(planned))
        .min(Comparator.naturalOrder())
        .orElse(planned);
  }

  /**
   * Whether to restart the workload now. The restart waits until every link of the group holds a
   * URL that is not due, but never longer than a quarter of the shortest renewal window of the
   * rotation (nor a minute): the pods hold URLs of the previous rotation, valid for at least that
   * window after it began, and the rest is the rollout's.
   *
   * @param lastRestart the presign.dev/restartedAt value of the last restart, if any
   */
  public static RestartDecision restart(
      List<Member> members, Optional<Instant> lastRestart, Instant now) {
    List<Member> rotation =
        members.stream()
            .filter(Member::rotated)
            .filter(member -> lastRestart.map(member.issuedAt()::isAfter).orElse(true))
            .toList();
    if (rotation.isEmpty()) {
      return new NoRestart();
    }
    Instant restartedAt =
        rotation.stream().map(Member::issuedAt).max(Comparator.naturalOrder()).orElseThrow();
    Duration shortestWindow =
        rotation.stream()
            .map(member -> Duration.between(member.renewalTime(), member.expiresAt()))
            .min(Comparator.naturalOrder())
            .orElseThrow();
    Duration wait = shortestWindow.dividedBy(4);
    Instant deadline =
        rotation.stream()
            .map(Member::issuedAt)
            .min(Comparator.naturalOrder())
            .orElseThrow()
            .plus(wait.compareTo(MAX_WAIT) < 0 ? wait : MAX_WAIT);
    // A link due before the deadline is part of this rotation, aligned with it or not (yet).
    boolean allRotated =
        members.stream()
            .allMatch(member -> member.current() && deadline.isBefore(member.renewalTime()));
    if (allRotated || !now.isBefore(deadline)) {
      return new RestartNow(restartedAt);
    }
    Instant recheck = now.plus(RECHECK);
    return new WaitUntil(recheck.isBefore(deadline) ? recheck : deadline);
  }
}
