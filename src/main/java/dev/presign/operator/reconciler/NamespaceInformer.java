package dev.presign.operator.reconciler;

import dev.presign.operator.policy.NamespaceLabels;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import jakarta.inject.Singleton;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * The namespace labels the policy reads (R7), from a watch of namespaces that runs while the policy
 * asks for it; a namespace whose labels change reconciles its links again, through the policy's
 * listeners ({@link PolicyChanges}).
 */
@Singleton
public class NamespaceInformer implements NamespaceLabels {

  private final KubernetesClient client;
  private volatile SharedIndexInformer<Namespace> namespaces;

  public NamespaceInformer(KubernetesClient client) {
    this.client = client;
  }

  @Override
  public synchronized void start(Consumer<String> changed) {
    if (namespaces != null) {
      return;
    }
    try {
      namespaces = client.namespaces().inform(new LabelChanges(changed));
    } catch (KubernetesClientException e) {
      throw new IllegalStateException(
          "the policy selects namespaces by label, for which the operator needs list and watch"
              + " on namespaces: "
              + e.getMessage(),
          e);
    }
  }

  @Override
  public Map<String, String> of(String namespace) {
    SharedIndexInformer<Namespace> watched = namespaces;
    Namespace found = watched == null ? null : watched.getStore().getByKey(namespace);
    return found == null || found.getMetadata().getLabels() == null
        ? Map.of()
        : found.getMetadata().getLabels();
  }

  @Override
  public synchronized void stop() {
    if (namespaces != null) {
      namespaces.close();
      namespaces = null;
    }
  }

  private record LabelChanges(Consumer<String> changed) implements ResourceEventHandler<Namespace> {
    @Override
    public void onAdd(Namespace namespace) {
      changed.accept(namespace.getMetadata().getName());
    }

    @Override
    public void onUpdate(Namespace before, Namespace after) {
      if (!Objects.equals(before.getMetadata().getLabels(), after.getMetadata().getLabels())) {
        changed.accept(after.getMetadata().getName());
      }
    }

    @Override
    public void onDelete(Namespace namespace, boolean finalStateUnknown) {}
  }
}
