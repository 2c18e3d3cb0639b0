package dev.presign.operator.reconciler;

import dev.presign.operator.api.v1alpha1.PresignedObjectLink;
import dev.presign.operator.secret.RotationRequests;
import io.javaoperatorsdk.operator.processing.event.source.filter.OnUpdateFilter;
import java.util.Objects;

/**
 * Which updates of a link are reconciled: a new spec (generation), a new rotation request (R10, an
 * annotation, which leaves the generation alone) and a deletion. The operator's own status patches
 * are not.
 */
public class SpecOrRotationRequestChanged implements OnUpdateFilter<PresignedObjectLink> {

  @Override
  public boolean accept(PresignedObjectLink updated, PresignedObjectLink old) {
    return !Objects.equals(updated.getMetadata().getGeneration(), old.getMetadata().getGeneration())
        || !RotationRequests.of(updated).equals(RotationRequests.of(old))
        || updated.getMetadata().getDeletionTimestamp() != null;
  }
}
