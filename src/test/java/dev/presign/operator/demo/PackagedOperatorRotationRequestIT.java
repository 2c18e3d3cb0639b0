package dev.presign.operator.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.presign.operator.api.v1alpha1.PresignedObjectLink;
import dev.presign.operator.it.Links;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * R10 as the operator ships: a value of presign.dev/rotate-requested-at issues one new URL, and an
 * operator started anew does not sign again for a value handled before it started.
 */
class PackagedOperatorRotationRequestIT {

  private static final Path JAR = Path.of("target", "quarkus-app", "quarkus-run.jar");
  private static final Duration BOUND = Duration.ofSeconds(60);

  @TempDir Path directory;

  @Test
  void aHandledRotationRequestIsNotSignedAgainAfterAnOperatorRestart() throws Exception {
    try (EmbeddedKubernetesApi api = EmbeddedKubernetesApi.start(directory.resolve("kubeconfig"))) {
      KubernetesClient client = api.client();
      Links links = new Links(client, "default", null);
      try (OperatorProcess first = start("first")) {
        client.resource(link("on-demand")).create();
        awaitRotations(client, "on-demand", 1);
        links.annotate("on-demand", "presign.dev/rotate-requested-at", "2026-12-02T10:00:00Z");
        awaitRotations(client, "on-demand", 2);
        await()
            .atMost(BOUND)
            .until(
                () -> get(client, "on-demand").getStatus().getLastHandledRotationRequest(),
                "2026-12-02T10:00:00Z"::equals);
      }
      String urlBefore = secretUrl(client, "on-demand");

      try (OperatorProcess second = start("second")) {
        // The second operator lists every link at its start; once a link created after it is
        // Ready, it has reconciled the first one too.
        client.resource(link("witness")).create();
        awaitRotations(client, "witness", 1);

        assertThat(get(client, "on-demand").getStatus().getRotations()).isEqualTo(2);
        assertThat(secretUrl(client, "on-demand")).isEqualTo(urlBefore);

        links.annotate("on-demand", "presign.dev/rotate-requested-at", "2026-12-02T11:00:00Z");
        awaitRotations(client, "on-demand", 3);
      }
    }
  }

  private OperatorProcess start(String name) throws Exception {
    return OperatorProcess.start(
        JAR, directory.resolve("kubeconfig"), directory.resolve(name + ".log"), Map.of());
  }

  private static PresignedObjectLink link(String name) {
    return Serialization.unmarshal(
        """
        apiVersion: presign.dev/v1alpha1
        kind: PresignedObjectLink
        metadata: {name: %s, namespace: default}
        spec: {bucket: reports, key: daily.csv}
        """
            .formatted(name),
        PresignedObjectLink.class);
  }

  private static PresignedObjectLink get(KubernetesClient client, String name) {
    return client.resources(PresignedObjectLink.class).inNamespace("default").withName(name).get();
  }

  private static void awaitRotations(KubernetesClient client, String name, long rotations) {
    await()
        .atMost(BOUND)
        .until(
            () ->
                Optional.ofNullable(get(client, name).getStatus())
                    .map(status -> status.getRotations())
                    .orElse(0L),
            count -> count == rotations);
  }

  private static String secretUrl(KubernetesClient client, String name) {
    return client.secrets().inNamespace("default").withName(name).get().getData().get("url");
  }
}
