package dev.presign.operator.consumers;

import dev.presign.operator.api.v1alpha1.RestartTarget;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * Rule R9: restarts a workload that reads the URL from an environment variable, the way `kubectl
 * rollout restart` does. The annotation's value is the rotation's, the same for every link that
 * names the workload, so that a second link finding it set restarts nothing.
 */
final class RestartTargets {

  static final String RESTARTED_AT = "presign.dev/restartedAt";

  private RestartTargets() {}

  /**
   * Sets presign.dev/restartedAt on the workload's pod template to {@code restartedAt}.
   *
   * @return false when it already had that value (another link of the rotation restarted it)
   * @throws RestartFailedException when the workload is missing or the API server refuses
   */
  static boolean restart(
      KubernetesClient client, String namespace, RestartTarget target, Instant restartedAt) {
    String value = restartedAt.toString();
    try {
      Resource<? extends HasMetadata> workload = workload(client, namespace, target);
      HasMetadata current = workload.get();
      if (current == null) {
        throw new RestartFailedException(target, "it does not exist in namespace " + namespace);
      }
      if (value.equals(annotation(current))) {
        return false;
      }
      workload.patch(
          PatchContext.of(PatchType.JSON_MERGE),
          "{\"spec\":{\"template\":{\"metadata\":{\"annotations\":{\""
              + RESTARTED_AT
              + "\":\""
              + value
              + "\"}}}}}");
      return true;
    } catch (KubernetesClientException e) {
      throw new RestartFailedException(target, e);
    }
  }

  static String describe(RestartTarget target) {
    return target.getKind() + "/" + target.getName();
  }

  private static Resource<? extends HasMetadata> workload(
      KubernetesClient client, String namespace, RestartTarget target) {
    return switch (target.getKind()) {
      case Deployment ->
          client.apps().deployments().inNamespace(namespace).withName(target.getName());
      case StatefulSet ->
          client.apps().statefulSets().inNamespace(namespace).withName(target.getName());
      case DaemonSet ->
          client.apps().daemonSets().inNamespace(namespace).withName(target.getName());
    };
  }

  private static String annotation(HasMetadata workload) {
    return Optional.ofNullable(SecretReaders.podTemplate(workload))
        .map(PodTemplateSpec::getMetadata)
        .map(metadata -> metadata.getAnnotations())
        .map((Map<String, String> annotations) -> annotations.get(RESTARTED_AT))
        .orElse(null);
  }
}
