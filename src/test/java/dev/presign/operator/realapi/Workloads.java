package dev.presign.operator.realapi;

import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.Map;
import java.util.Optional;

/** Deployments as a real API server accepts them (selector, labels, a container). */
final class Workloads {

  private Workloads() {}

  /**
   * A Deployment whose container reads the URL of {@code secret} through an env var, or reads no
   * Secret when {@code secret} is null.
   */
  static Deployment deployment(String namespace, String name, String secret) {
    Map<String, String> labels = Map.of("app", name);
    DeploymentBuilder deployment =
        new DeploymentBuilder()
            .withNewMetadata()
            .withNamespace(namespace)
            .withName(name)
            .endMetadata()
            .withNewSpec()
            .withNewSelector()
            .withMatchLabels(labels)
            .endSelector()
            .withNewTemplate()
            .withNewMetadata()
            .withLabels(labels)
            .endMetadata()
            .withNewSpec()
            .addNewContainer()
            .withName("app")
            .withImage("registry.example/app:1")
            .endContainer()
            .endSpec()
            .endTemplate()
            .endSpec();
    if (secret != null) {
      deployment
          .editSpec()
          .editTemplate()
          .editSpec()
          .editFirstContainer()
          .addToEnv(
              new EnvVarBuilder()
                  .withName("URL")
                  .withNewValueFrom()
                  .withNewSecretKeyRef()
                  .withName(secret)
                  .withKey("url")
                  .endSecretKeyRef()
                  .endValueFrom()
                  .build())
          .endContainer()
          .endSpec()
          .endTemplate()
          .endSpec();
    }
    return deployment.build();
  }

  /** The pod template's presign.dev/restartedAt annotation, once the operator restarted it. */
  static Optional<String> restartedAt(KubernetesClient client, String namespace, String name) {
    return Optional.ofNullable(
            client
                .apps()
                .deployments()
                .inNamespace(namespace)
                .withName(name)
                .get()
                .getSpec()
                .getTemplate()
                .getMetadata()
                .getAnnotations())
        .map(annotations -> annotations.get("presign.dev/restartedAt"));
  }
}
