package dev.presign.operator.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.presign.operator.api.v1alpha1.PresignedObjectLink;
import dev.presign.operator.deploy.OperatorPermissions.Permission;
import dev.presign.operator.it.PolicyFileResource;
import dev.presign.operator.it.S3ProxyResource;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.kubernetes.client.KubernetesServer;
import io.quarkus.test.kubernetes.client.KubernetesTestServer;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import java.time.Duration;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * With a policy rule that selects namespaces by label, the operator also reads namespaces: exactly
 * what {@link OperatorPermissions#NAMESPACE_LABELS} grants (the chart's extra ClusterRole), and
 * otherwise nothing beyond the table OperatorRequestsIT checks in full.
 */
@QuarkusTest
@WithKubernetesTestServer(crud = true, setup = MockApiServer.class)
@WithTestResource(S3ProxyResource.class)
@WithTestResource(PolicyFileResource.class)
class PolicyRequestsIT {

  private static final String NAMESPACE = "labelled-rbac";

  @KubernetesTestServer KubernetesServer server;

  @Test
  void aLabelSelectingPolicyAddsOnlyListAndWatchOfNamespaces() {
    KubernetesClient client = MockApiServer.testClient(server);
    client
        .resource(
            new NamespaceBuilder()
                .withNewMetadata()
                .withName(NAMESPACE)
                .addToLabels("presign.dev/links", "allowed")
                .endMetadata()
                .build())
        .create();
    // Signed with the operator's identity, permitted by PolicyFileResource's label rule.
    PresignedObjectLink link = MockApiServer.link(NAMESPACE, "labelled", "key: any/report.csv\n");
    link.getSpec().setCredentials(null);
    link.getSpec().setBucket("shared-reports");
    client.resource(link).create();
    await()
        .atMost(Duration.ofSeconds(20))
        .until(
            () -> client.secrets().inNamespace(NAMESPACE).withName("labelled").get(),
            secret -> secret != null && secret.getData().containsKey("url"));

    Set<Permission> used = OperatorRequests.permissionsUsed(server.getKubernetesMockServer());
    assertThat(used).containsAll(OperatorPermissions.NAMESPACE_LABELS);
    Set<Permission> granted = new TreeSet<>(OperatorPermissions.REQUIRED);
    granted.addAll(OperatorPermissions.NAMESPACE_LABELS);
    assertThat(granted).containsAll(used);
  }
}
