package dev.presign.operator.realapi;

import dev.presign.operator.deploy.Manifests;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The operator's identity and rights exactly as deploy/ installs them: its Namespace,
 * ServiceAccount, ClusterRole, ClusterRoleBinding and leader election Role, plus the optional
 * ClusterRole for policies that select namespaces by label. The operator then runs as that
 * ServiceAccount ({@link #OPERATOR}), so the API server's RBAC decides each of its requests.
 */
public class DeployedRbac implements Consumer<RealApiServer> {

  /** The ServiceAccount of deploy/, as {@code namespace/name}. */
  public static final String OPERATOR = "presign-system/presign-operator";

  public static final String OPERATOR_NAMESPACE = "presign-system";
  public static final String CLUSTER_ROLE = "presign-operator";

  private static final Set<String> IDENTITY_AND_RIGHTS =
      Set.of(
          "Namespace",
          "ServiceAccount",
          "ClusterRole",
          "ClusterRoleBinding",
          "Role",
          "RoleBinding");

  @Override
  public void accept(RealApiServer server) {
    for (Path file : Manifests.kustomizeResources()) {
      install(server, Manifests.parseFile(file));
    }
    install(
        server,
        Manifests.parseFile(Manifests.DEPLOY.resolve("optional/namespace-labels-rbac.yaml")));
  }

  /** deploy/'s RBAC installed, and a token of the operator's ServiceAccount from TokenRequest. */
  public static String operatorToken(RealApiServer server, Duration lifetime) {
    new DeployedRbac().accept(server);
    String[] operator = OPERATOR.split("/");
    return server.serviceAccountToken(operator[0], operator[1], lifetime);
  }

  /** Creates the objects that make up the operator's identity and rights, nothing else. */
  static void install(RealApiServer server, List<HasMetadata> objects) {
    objects.stream()
        .filter(object -> IDENTITY_AND_RIGHTS.contains(object.getKind()))
        .forEach(object -> server.client().resource(object).create());
  }
}
