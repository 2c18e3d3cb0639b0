package dev.presign.operator.reconciler;

import dev.presign.operator.api.v1alpha1.PresignedObjectLink;
import io.fabric8.kubernetes.api.model.Secret;
import java.util.Optional;

/**
 * Rule R10: a new value of the annotation presign.dev/rotate-requested-at issues one new URL at
 * once, as Flux's reconcile.fluxcd.io/requestedAt does a reconcile.
 */
final class RotationRequests {

  static final String ROTATE_REQUESTED_AT = "presign.dev/rotate-requested-at";

  private RotationRequests() {}

  /** The link's rotation request, if it carries one. */
  static Optional<String> of(PresignedObjectLink link) {
    return Optional.ofNullable(link.getMetadata().getAnnotations())
        .map(annotations -> annotations.get(ROTATE_REQUESTED_AT));
  }

  /**
   * Whether the operator has yet to act on the link's request: the status records the value
   * handled, and so does the Secret, in case the status could not be written after the URL was.
   */
  static boolean isNew(PresignedObjectLink link, Optional<Secret> secret) {
    Optional<String> handledInSecret = secret.flatMap(LinkSecrets::rotationRequest);
    return of(link)
        .filter(value -> !handledInSecret.equals(Optional.of(value)))
        .filter(
            value ->
                link.getStatus() == null
                    || !value.equals(link.getStatus().getLastHandledRotationRequest()))
        .isPresent();
  }
}
