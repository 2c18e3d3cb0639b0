package dev.presign.operator.verification;

import dev.presign.operator.api.v1alpha1.PresignedObjectLink;
import io.javaoperatorsdk.operator.processing.event.Event;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.AbstractEventSource;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Reconciles a link when the verification of its URL has an outcome, so that the reconcile writes
 * it as the Verified condition (Verifications runs verifications off the reconcile threads).
 */
public class VerificationResults extends AbstractEventSource<Verification, PresignedObjectLink> {

  private final Verifications verifications;
  private final Consumer<ResourceID> listener =
      link -> getEventHandler().handleEvent(new Event(link));

  public VerificationResults(Verifications verifications) {
    super(Verification.class, "verification-results");
    this.verifications = verifications;
  }

  @Override
  public void start() {
    super.start();
    verifications.onOutcome(listener);
  }

  @Override
  public void stop() {
    verifications.removeListener(listener);
    super.stop();
  }

  @Override
  public Set<Verification> getSecondaryResources(PresignedObjectLink link) {
    return Set.of();
  }
}
