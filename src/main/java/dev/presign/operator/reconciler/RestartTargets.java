package dev.presign.operator.reconciler;

import dev.presign.operator.api.v1alpha1.PresignedObjectLink;
import dev.presign.operator.api.v1alpha1.RestartTarget;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Rule R9: after a rotation, restarts the workloads that read the URL from an environment variable,
 * the way `kubectl rollout restart` does.
 */
final class RestartTargets {

  static final String RESTARTED_AT = "presign.dev/restartedAt";

  private RestartTargets() {}

  /** Patches every target; returns a line per target saying what happened. */
  static List<String> restart(KubernetesClient client, PresignedObjectLink link, Instant now) {
    List<String> outcomes = new ArrayList<>();
    String namespace = link.getMetadata().getNamespace();
    String patch =
        "{\"spec\":{\"template\":{\"metadata\":{\"annotations\":{\""
            + RESTARTED_AT
            + "\":\""
            + now
            + "\"}}}}}";
    PatchContext merge = PatchContext.of(PatchType.JSON_MERGE);
    for (RestartTarget target : link.getSpec().getRestartTargets()) {
      String name = target.getKind() + "/" + target.getName();
      try {
        var workloads =
            switch (target.getKind()) {
              case Deployment ->
                  client.apps().deployments().inNamespace(namespace).withName(target.getName());
              case StatefulSet ->
                  client.apps().statefulSets().inNamespace(namespace).withName(target.getName());
              case DaemonSet ->
                  client.apps().daemonSets().inNamespace(namespace).withName(target.getName());
            };
        workloads.patch(merge, patch);
        outcomes.add(name + " restarted");
      } catch (KubernetesClientException e) {
        outcomes.add(name + " not restarted (HTTP " + e.getCode() + ")");
      }
    }
    return outcomes;
  }
}
