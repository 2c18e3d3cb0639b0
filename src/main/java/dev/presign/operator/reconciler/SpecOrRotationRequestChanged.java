package dev.presign.operator.reconciler;

import dev.presign.operator.api.v1alpha1.PresignedObjectLink;
import io.javaoperatorsdk.operator.processing.event.source.filter.OnUpdateFilter;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Which updates of a link are reconciled: a new spec (generation), a new rotation request (R10, an
 * annotation, which leaves the generation alone) and a deletion. The operator's own status patches
 * are not.
 */
public class SpecOrRotationRequestChanged implements OnUpdateFilter<PresignedObjectLink> {

  @Override
  public boolean accept(PresignedObjectLink updated, PresignedObjectLink old) {
    return !Objects.equals(updated.getMetadata().getGeneration(), old.getMetadata().getGeneration())
        || !Objects.equals(rotationRequest(updated), rotationRequest(old))
        || updated.getMetadata().getDeletionTimestamp() != null;
  }

  private static String rotationRequest(PresignedObjectLink link) {
    return Optional.ofNullable(link.getMetadata().getAnnotations())
        .map(
            (Map<String, String> annotations) ->
                annotations.get(PresignedObjectLinkReconciler.ROTATE_REQUESTED_AT))
        .orElse(null);
  }
}
