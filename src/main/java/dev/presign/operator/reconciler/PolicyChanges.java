package dev.presign.operator.reconciler;

import dev.presign.operator.api.v1alpha1.PresignedObjectLink;
import dev.presign.operator.policy.Policy;
import dev.presign.operator.policy.SigningPolicy;
import io.javaoperatorsdk.operator.api.reconciler.IndexedResourceCache;
import io.javaoperatorsdk.operator.processing.event.Event;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.AbstractEventSource;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * Reconciles the links the policy governs (SigningPolicy.governs) when the policy or a namespace's
 * labels change: a denied link may now be permitted, and a permitted one must lose its URL when it
 * no longer is. Links that stay permitted pass through without a write (R4).
 */
class PolicyChanges extends AbstractEventSource<Policy, PresignedObjectLink> {

  private final SigningPolicy policy;
  private final IndexedResourceCache<PresignedObjectLink> links;
  private final Consumer<Predicate<String>> listener = this::reevaluate;

  PolicyChanges(SigningPolicy policy, IndexedResourceCache<PresignedObjectLink> links) {
    super(Policy.class, "policy-changes");
    this.policy = policy;
    this.links = links;
  }

  @Override
  public void start() {
    super.start();
    policy.onChange(listener);
  }

  @Override
  public void stop() {
    policy.removeListener(listener);
    super.stop();
  }

  private void reevaluate(Predicate<String> namespaces) {
    links
        .list()
        .filter(
            link ->
                link.getSpec() == null || SigningPolicy.governs(link.getSpec().getCredentials()))
        .filter(link -> namespaces.test(link.getMetadata().getNamespace()))
        .forEach(link -> getEventHandler().handleEvent(new Event(ResourceID.fromResource(link))));
  }

  @Override
  public Set<Policy> getSecondaryResources(PresignedObjectLink link) {
    return Set.of();
  }
}
