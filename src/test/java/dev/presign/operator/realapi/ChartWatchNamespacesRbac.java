package dev.presign.operator.realapi;

import dev.presign.operator.deploy.Manifests;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;

/**
 * The operator's identity and rights as the Helm chart renders them with {@code watchNamespaces}: a
 * Role and RoleBinding in each watched namespace instead of the ClusterRole, and the leader
 * election Role in the release namespace.
 */
public class ChartWatchNamespacesRbac implements Consumer<RealApiServer> {

  public static final List<String> WATCHED = List.of("watched-a", "watched-b");

  /** The chart's ServiceAccount (release presign in presign-system), as {@code namespace/name}. */
  public static final String OPERATOR = "presign-system/presign-presign-operator";

  /** helm template presign charts/presign-operator -n presign-system with watchNamespaces set. */
  static List<HasMetadata> rendered() {
    try {
      Path values = Files.createTempFile("watch-namespaces", ".yaml");
      Files.writeString(values, "watchNamespaces: [" + String.join(", ", WATCHED) + "]\n");
      return Manifests.renderChart(template -> template.withValuesFile(values));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The value the chart's Deployment gives QUARKUS_OPERATOR_SDK_NAMESPACES. */
  static String watchedNamespacesSetting() {
    return Manifests.only(rendered(), Deployment.class)
        .getSpec()
        .getTemplate()
        .getSpec()
        .getContainers()
        .get(0)
        .getEnv()
        .stream()
        .filter(env -> env.getName().equals("QUARKUS_OPERATOR_SDK_NAMESPACES"))
        .map(EnvVar::getValue)
        .findFirst()
        .orElseThrow();
  }

  @Override
  public void accept(RealApiServer server) {
    List<HasMetadata> objects = rendered();
    String account = Manifests.only(objects, ServiceAccount.class).getMetadata().getName();
    if (!OPERATOR.equals(Manifests.RELEASE_NAMESPACE + "/" + account)) {
      throw new IllegalStateException("the chart's ServiceAccount is " + account);
    }
    server.createNamespace(Manifests.RELEASE_NAMESPACE);
    WATCHED.forEach(server::createNamespace);
    DeployedRbac.install(server, objects);
  }
}
