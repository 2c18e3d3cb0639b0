package dev.presign.operator.it;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.test.kubernetes.client.KubernetesServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Consumer;

/**
 * Installs the generated CRD in the mock API server before the operator starts, as a user would, so
 * that the server knows the status subresource.
 */
public class InstallCrd implements Consumer<KubernetesServer> {

  public static final Path CRD = Path.of("crds", "presignedobjectlinks.presign.dev-v1.yml");

  @Override
  public void accept(KubernetesServer server) {
    into(server.getClient());
  }

  public static void into(KubernetesClient client) {
    client.apiextensions().v1().customResourceDefinitions().resource(crd()).create();
  }

  public static CustomResourceDefinition crd() {
    try (InputStream yaml = Files.newInputStream(CRD)) {
      return io.fabric8.kubernetes.client.utils.Serialization.unmarshal(
          yaml, CustomResourceDefinition.class);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
