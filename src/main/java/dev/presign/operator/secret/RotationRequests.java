package dev.presign.operator.secret;

import dev.presign.operator.api.v1alpha1.PresignedObjectLink;
import io.fabric8.kubernetes.api.model.Secret;
import java.util.Optional;

/**
 * Rule R10: a new value of the annotation presign.dev/rotate-requested-at issues one new URL at
 * once, as Flux's reconcile.fluxcd.io/requestedAt does a reconcile. The value handled is recorded
 * in the status and, with the URL it caused, in the Secret.
 */
public final class RotationRequests {

  static final String ROTATE_REQUESTED_AT = "presign.dev/rotate-requested-at";

  /** The presign.dev/rotate-requested-at value the URL in the Secret was issued for, if any. */
  static final String ROTATION_REQUEST = "presign.dev/rotation-request";

  private RotationRequests() {}

  /** The link's rotation request, if it carries one. */
  public static Optional<String> of(PresignedObjectLink link) {
    return Optional.ofNullable(link.getMetadata().getAnnotations())
        .map(annotations -> annotations.get(ROTATE_REQUESTED_AT));
  }

  /**
   * Whether the operator has yet to act on the link's request: the status records the value
   * handled, and so does the Secret, in case the status could not be written after the URL was.
   */
  public static boolean isNew(PresignedObjectLink link, Optional<Secret> secret) {
    Optional<String> handledInSecret = secret.flatMap(RotationRequests::handledIn);
    return of(link)
        .filter(value -> !handledInSecret.equals(Optional.of(value)))
        .filter(
            value ->
                link.getStatus() == null
                    || !value.equals(link.getStatus().getLastHandledRotationRequest()))
        .isPresent();
  }

  /** The rotation request the URL in the Secret was issued for, if any. */
  static Optional<String> handledIn(Secret secret) {
    return Optional.ofNullable(secret.getMetadata().getAnnotations())
        .map(annotations -> annotations.get(ROTATION_REQUEST));
  }
}
